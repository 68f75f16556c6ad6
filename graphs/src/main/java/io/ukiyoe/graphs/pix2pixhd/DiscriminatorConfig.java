package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.TensorShapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * pix2pixHD's {@code MultiscaleDiscriminator}: {@code numD} PatchGAN {@code NLayerDiscriminator}s, each of
 * {@code nLayers + 2} conv layers (k4, zero pad 2; stride 2 for layers {@code 0..nLayers-1}, 1 for the
 * last two; widths {@code ndf * 2^j} capped at 512; the last has one channel).
 *
 * @param inputNc      input channels (label + image, 6 for RGB to RGB)
 * @param ndf          width of the first layer
 * @param nLayers      {@code n_layers_D}
 * @param numD         scales
 * @param intermFeat   {@code getIntermFeat}: one module per layer ({@code scale{s}_layer{j}/0/...}); otherwise
 *                     one Sequential per scale ({@code layer{s}/<index>/...})
 */
public record DiscriminatorConfig(int inputNc, int ndf, int nLayers, int numD, boolean intermFeat) {
    private static final Pattern INTERM_SCALE = Pattern.compile("scale(\\d+)_layer\\d+/.*");
    private static final Pattern INTERM_LAYER = Pattern.compile("scale0_layer(\\d+)/.*");
    private static final Pattern FLAT_SCALE = Pattern.compile("layer(\\d+)/.*");
    private static final Pattern FLAT_INDEX = Pattern.compile("layer0/(\\d+)/weight");
    /** Width cap of NLayerDiscriminator. */
    static final long MAX_WIDTH = 512;

    public DiscriminatorConfig {
        if (inputNc < 1 || ndf < 1 || nLayers < 1 || numD < 1) {
            throw new IllegalArgumentException("invalid discriminator config: input_nc " + inputNc + ", ndf " + ndf
                    + ", n_layers " + nLayers + ", num_D " + numD);
        }
    }

    /** Conv layers per scale (n_layers + 2, the last giving the patch logits). */
    public int layersPerScale() {
        return nLayers + 2;
    }

    /** Canonical prefix of layer {@code j}'s conv in the sub-discriminator named {@code scale}. */
    public String convPrefix(int scale, int j) {
        if (intermFeat) {
            return "scale" + scale + "_layer" + j + "/0/";
        }
        // flat Sequential: [conv, lrelu], then [conv, IN, lrelu] per middle layer, then the logits conv
        return "layer" + scale + "/" + (j == 0 ? 0 : 2 + 3 * (j - 1)) + "/";
    }

    /** Output channels of layer {@code j}. */
    public long width(int j) {
        if (j == nLayers + 1) {
            return 1;
        }
        long w = ndf;
        for (int i = 1; i <= j; i++) {
            w = Math.min(2 * w, MAX_WIDTH);
        }
        return w;
    }

    public int stride(int j) {
        return j < nLayers ? 2 : 1;
    }

    public LinkedHashMap<String, long[]> expectedShapes() {
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        for (int s = 0; s < numD; s++) {
            for (int j = 0; j < layersPerScale(); j++) {
                TensorShapes.conv(m, convPrefix(s, j), width(j), j == 0 ? inputNc : width(j - 1), 4, 4);
            }
        }
        return m;
    }

    public long parameterCount() {
        return expectedShapes().values().stream().mapToLong(Tensor::numel).sum();
    }

    /** Whether the tensors (canonical names) look like a multiscale discriminator's. */
    public static boolean looksLike(Iterable<String> names) {
        for (String n : names) {
            if (n.startsWith("scale0_layer0/") || n.startsWith("layer0/0/")) {
                return true;
            }
        }
        return false;
    }

    /** The architecture of a discriminator's tensors (canonical names), inferred and checked. */
    public static DiscriminatorConfig infer(Map<String, Tensor> tensors) {
        String what = "pix2pixHD discriminator";
        boolean interm = tensors.containsKey("scale0_layer0/0/weight");
        List<Integer> scales = TensorShapes.indices(tensors.keySet(), interm ? INTERM_SCALE : FLAT_SCALE);
        int layers;
        long[] first;
        if (interm) {
            layers = TensorShapes.indices(tensors.keySet(), INTERM_LAYER).size();
            first = TensorShapes.shape(tensors, "scale0_layer0/0/weight", 4, what);
        } else {
            layers = TensorShapes.indices(tensors.keySet(), FLAT_INDEX).size();
            first = TensorShapes.shape(tensors, "layer0/0/weight", 4, what);
        }
        if (layers < 3) {
            throw new IllegalArgumentException(what + ": " + layers + " conv layers per scale; NLayerDiscriminator has at least 3");
        }
        DiscriminatorConfig c;
        try {
            c = new DiscriminatorConfig((int) first[1], (int) first[0], layers - 2, scales.size(), interm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
        TensorShapes.requireExactly(tensors, c.expectedShapes(), what + " (" + c.describe() + ")");
        return c;
    }

    public String describe() {
        return "input_nc " + inputNc + ", ndf " + ndf + ", n_layers " + nLayers + ", num_D " + numD
                + (intermFeat ? "" : ", getIntermFeat false");
    }
}
