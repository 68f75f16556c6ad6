package io.ukiyoe.graphs.vision;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.TorchWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * torchvision's VGG {@code features} (3x3 convs with zero pad 1 and ReLU, 2x2 max pools) cut into
 * slices at module indices, as the perceptual losses use it: pix2pixHD's VGG19 loss (relu1_1..relu5_1),
 * LPIPS's VGG16 (relu1_2..relu5_3). Weights are torchvision's {@code features.<index>.weight/bias},
 * canonical names {@code features/<index>/weight}; only the modules before the last cut are needed.
 *
 * @param plan      conv output widths in order, 0 for a max pool (torchvision's cfgs with 'M' as 0)
 * @param sliceEnds module indices (exclusive) where each returned feature is taken, ascending
 */
public record VggFeatures(int[] plan, int[] sliceEnds) {
    /** torchvision vgg19 ('E'). */
    public static final int[] VGG19 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0};
    /** torchvision vgg16 ('D'). */
    public static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    /** pix2pixHD's {@code Vgg19}: relu1_1, relu2_1, relu3_1, relu4_1, relu5_1. */
    public static VggFeatures pix2pixHD() {
        return new VggFeatures(VGG19, new int[] {2, 7, 12, 21, 30});
    }

    /** LPIPS's {@code vgg16}: relu1_2, relu2_2, relu3_3, relu4_3, relu5_3. */
    public static VggFeatures lpips() {
        return new VggFeatures(VGG16, new int[] {4, 9, 16, 23, 30});
    }

    /** The first {@code n} slices only. */
    public VggFeatures firstSlices(int n) {
        return new VggFeatures(plan, Arrays.copyOf(sliceEnds, n));
    }

    /**
     * The same layer pattern with each conv's width read from {@code features/<index>/weight} of a state
     * dict (canonical names), for narrower or wider VGGs than torchvision's; a missing conv is named.
     */
    public VggFeatures withWidthsOf(Map<String, Tensor> stateDict) {
        int[] widths = plan.clone();
        int module = 0;
        int end = sliceEnds[sliceEnds.length - 1];
        for (int i = 0; i < widths.length && module < end; i++) {
            if (widths[i] == 0) {
                module++;
                continue;
            }
            String k = "features/" + module + "/weight";
            Tensor t = stateDict.get(k);
            if (t == null || t.rank() != 4) {
                throw new IllegalArgumentException("VGG weights: " + (t == null ? "missing tensor '" + k + "'"
                        : "tensor '" + k + "' has shape " + t.shapeString() + ", not [out, in, 3, 3]")
                        + " (a torchvision vgg state dict with features.N.weight keys is expected)");
            }
            widths[i] = Math.toIntExact(t.shape()[0]);
            module += 2;
        }
        return new VggFeatures(widths, sliceEnds);
    }

    /** Output channels of each slice (the width of the last conv before each cut). */
    public int[] sliceWidths() {
        int[] out = new int[sliceEnds.length];
        int module = 0;
        int next = 0;
        int width = 3;
        for (int w : plan) {
            if (next == sliceEnds.length) {
                break;
            }
            module += w == 0 ? 1 : 2;
            width = w == 0 ? width : w;
            while (next < sliceEnds.length && module >= sliceEnds[next]) {
                out[next++] = width;
            }
        }
        return out;
    }

    /** Canonical names and shapes of the conv tensors the slices use (input RGB). */
    public LinkedHashMap<String, long[]> expectedShapes() {
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        int module = 0;
        long in = 3;
        int end = sliceEnds[sliceEnds.length - 1];
        for (int width : plan) {
            if (module >= end) {
                break;
            }
            if (width == 0) {
                module++;
                continue;
            }
            m.put("features/" + module + "/weight", new long[] {width, in, 3, 3});
            m.put("features/" + module + "/bias", new long[] {width});
            in = width;
            module += 2;
        }
        return m;
    }

    /**
     * The tensors these slices need, picked from a torchvision state dict (canonical names; classifier
     * and later convs ignored); {@link IllegalArgumentException} naming a missing or misshapen one.
     */
    public LinkedHashMap<String, Tensor> select(Map<String, Tensor> stateDict) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        expectedShapes().forEach((k, s) -> {
            Tensor t = stateDict.get(k);
            if (t == null) {
                throw new IllegalArgumentException("VGG weights: missing tensor '" + k + "' (a torchvision vgg "
                        + "state dict with features.N.weight keys is expected)");
            }
            if (!Arrays.equals(t.shape(), s)) {
                throw new IllegalArgumentException("VGG weights: tensor '" + k + "' has shape " + t.shapeString()
                        + ", expected " + Arrays.toString(s));
            }
            out.put(k, t);
        });
        return out;
    }

    /** The feature after each slice, for NCHW RGB input as the caller prepares it. */
    public List<SDVariable> forward(SameDiff sd, SDVariable x, TorchWeights w) {
        List<SDVariable> out = new ArrayList<>();
        SDVariable y = x;
        int module = 0;
        int next = 0;
        for (int width : plan) {
            if (next == sliceEnds.length) {
                break;
            }
            if (width == 0) {
                y = Layers.maxPool2d(sd, y, 2, 2, 0, false, 0, 0);   // floor mode, no padding: sizes unused
                module++;
            } else {
                String p = "features/" + module + "/";
                y = Layers.conv2d(sd, y, w.get(p + "weight"), w.get(p + "bias"), 1, 1);
                if (module + 1 == sliceEnds[next]) {      // a cut between a conv and its ReLU
                    out.add(y);
                    next++;
                }
                y = Layers.relu(sd, y);
                module += 2;
            }
            if (next < sliceEnds.length && module == sliceEnds[next]) {
                out.add(y);
                next++;
            }
        }
        return out;
    }
}
