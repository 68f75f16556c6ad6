package io.ukiyoe.graphs.vision;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LPIPS 'net-lin' on VGG16 (version 0.1, as rosinality's bundled {@code lpips} and projector.py use it):
 * images in [-1, 1] go through the scaling layer {@code (x - shift) / scale}, the VGG16 slices
 * relu1_2..relu5_3 ({@link VggFeatures#lpips()}, widths read from the weights), each tap is
 * unit-normalised over channels ({@code f / (||f|| + 1e-10)}), the squared difference is weighted per
 * channel by the non-negative 1x1 lin layer, averaged over space, and the five taps are summed.
 *
 * <p>Weights: torchvision's ImageNet {@code vgg16} state dict ({@code features.N.weight/bias}; the
 * classifier is ignored) and the lpips lin file ({@code weights/v0.1/vgg.pth}: {@code lin<k>.model.1.weight},
 * [1, C_k, 1, 1]). Two files, so LPIPS is not a single-file {@code NetworkFamily}: it is loaded from
 * both each time ({@link #load}).
 */
public final class Lpips {
    /** ScalingLayer's buffers (ImageNet mean and std for [-1, 1] inputs), float32 as upstream's. */
    static final float[] SHIFT = {-0.030f, -0.088f, -0.188f};
    static final float[] SCALE = {0.458f, 0.448f, 0.450f};
    /** normalize_tensor's eps, added to the norm outside the square root. */
    static final double EPS = 1e-10;
    /**
     * Added under the square root: below float32's resolution of any non-zero sum of squares that
     * matters, it only keeps the norm's gradient finite where a tap is all zero (PyTorch masks that
     * 0 * inf in ReLU's backward; a product form would give NaN).
     */
    private static final double SQRT_GUARD = 1e-30;
    public static final String[] TAPS = {"relu1_2", "relu2_2", "relu3_3", "relu4_3", "relu5_3"};
    private static final String SCOPE = "lpips/";

    private final VggFeatures vgg;
    private final LinkedHashMap<String, Tensor> tensors;   // canonical: features/N/..., lin<k>/model/1/weight
    private SameDiff hostGraph;                            // for the host-side entry points, built on first use
    private boolean hostGradients;                         // its gradient function made (only when asked for)

    private Lpips(VggFeatures vgg, LinkedHashMap<String, Tensor> tensors) {
        this.vgg = vgg;
        this.tensors = tensors;
    }

    /**
     * From the two state dicts (keys as stored, with dots); {@link IllegalArgumentException} naming a
     * missing or misshapen tensor.
     */
    public static Lpips of(Map<String, Tensor> vggStateDict, Map<String, Tensor> linStateDict) {
        Map<String, Tensor> v = StateDicts.canonical(new LinkedHashMap<>(vggStateDict));
        VggFeatures net = VggFeatures.lpips().withWidthsOf(v);
        LinkedHashMap<String, Tensor> all = net.select(v);
        int[] widths = net.sliceWidths();
        for (int k = 0; k < widths.length; k++) {
            String key = "lin" + k + ".model.1.weight";
            Tensor t = linStateDict.get(key);
            long[] expected = {1, widths[k], 1, 1};
            if (t == null) {
                throw new IllegalArgumentException("LPIPS lin weights: missing tensor '" + key + "' (the lpips "
                        + "weights/v0.1/vgg.pth layout lin0.model.1.weight ... lin4.model.1.weight is expected)");
            }
            if (!Arrays.equals(t.shape(), expected)) {
                throw new IllegalArgumentException("LPIPS lin weights: tensor '" + key + "' has shape "
                        + t.shapeString() + ", expected " + Arrays.toString(expected) + " (the VGG's "
                        + TAPS[k] + " has " + widths[k] + " channels)");
            }
            all.put(StateDicts.canonical(key), t);
        }
        return new Lpips(net, all);
    }

    /** From torchvision's vgg16 {@code .pth} and the lpips lin {@code .pth}; one-line errors naming the file. */
    public static Lpips load(Path vggFile, Path linFile) {
        for (Path p : new Path[] {vggFile, linFile}) {
            if (p == null || !Files.isRegularFile(p)) {
                throw new UserError((p == null ? "LPIPS weights missing" : p + ": no such file") + ": LPIPS needs "
                        + "torchvision's vgg16 weights (vgg16-397923af.pth) and the lpips lin weights "
                        + "(lpips weights/v0.1/vgg.pth)");
            }
        }
        LinkedHashMap<String, Tensor> v = StateDicts.load(vggFile);
        LinkedHashMap<String, Tensor> l = StateDicts.load(linFile);
        if (!v.containsKey("features.0.weight") && l.containsKey("features.0.weight")) {
            throw new UserError(vggFile + " looks like the lin file and " + linFile + " like the VGG: swap them");
        }
        try {
            return of(v, l);
        } catch (IllegalArgumentException e) {
            Path culprit = e.getMessage().startsWith("VGG") ? vggFile : linFile;
            throw new UserError(culprit + ": " + e.getMessage(), e);
        }
    }

    /** Channels of each tap. */
    public int[] tapWidths() {
        return vgg.sliceWidths();
    }

    /** The weights as graph constants (scope {@code lpips/}), for {@link #distance} and friends. */
    public TorchWeights constants(SameDiff sd) {
        return new TorchWeights(sd, tensors, false, SCOPE);
    }

    /** The scaling layer: {@code (x - shift) / scale} per RGB channel, x [N, 3, H, W] in [-1, 1]. */
    public SDVariable scaled(SameDiff sd, SDVariable x) {
        float[] inv = new float[3];
        for (int c = 0; c < 3; c++) {
            inv[c] = 1f / SCALE[c];
        }
        SDVariable shift = sd.constant(Nd4j.create(SHIFT, new long[] {1, 3, 1, 1}, DataType.FLOAT));
        // a division as upstream (not a multiply by 1/scale): the taps match to the float32 ulp
        SDVariable scale = sd.constant(Nd4j.create(SCALE, new long[] {1, 3, 1, 1}, DataType.FLOAT));
        return x.sub(shift).div(scale);
    }

    /** The raw taps (ReLU outputs of the five slices) of images x [N, 3, H, W] in [-1, 1]. */
    public List<SDVariable> taps(SameDiff sd, TorchWeights w, SDVariable x) {
        return vgg.forward(sd, scaled(sd, x), w);
    }

    /** normalize_tensor: each pixel's channel vector divided by (its L2 norm + 1e-10). */
    public static SDVariable normalized(SameDiff sd, SDVariable f) {
        SDVariable norm = sd.math().sqrt(sd.math().square(f).sum(true, 1).add(SQRT_GUARD)).add(EPS);
        return f.div(norm);
    }

    /** The unit-normalised taps. */
    public List<SDVariable> normalizedTaps(SameDiff sd, TorchWeights w, SDVariable x) {
        List<SDVariable> out = new ArrayList<>();
        for (SDVariable f : taps(sd, w, x)) {
            out.add(normalized(sd, f));
        }
        return out;
    }

    /** Each tap's contribution, [N] each: {@code mean_hw(sum_c lin_c (n0 - n1)^2)}. */
    public List<SDVariable> terms(SameDiff sd, TorchWeights w, SDVariable x0, SDVariable x1) {
        return termsAgainst(sd, w, x0, normalizedTaps(sd, w, x1));
    }

    /**
     * The terms of images x0 against already normalised taps {@code n1} of the other images (e.g. a fixed
     * target's, computed once with {@link #tapValues} instead of on every pass).
     */
    public List<SDVariable> termsAgainst(SameDiff sd, TorchWeights w, SDVariable x0, List<SDVariable> n1) {
        List<SDVariable> n0 = normalizedTaps(sd, w, x0);
        int[] widths = tapWidths();
        List<SDVariable> out = new ArrayList<>();
        for (int k = 0; k < n0.size(); k++) {
            SDVariable lin = w.get("lin" + k + "/model/1/weight").reshape(1, widths[k], 1, 1);
            SDVariable d = sd.math().square(n0.get(k).sub(n1.get(k)));
            out.add(d.mul(lin).sum(1).mean(1, 2));
        }
        return out;
    }

    /** The distance per pair, [N]: the sum of the five terms (x0 the prediction, x1 the target; symmetric). */
    public SDVariable distance(SameDiff sd, TorchWeights w, SDVariable x0, SDVariable x1) {
        List<SDVariable> t = terms(sd, w, x0, x1);
        SDVariable s = t.get(0);
        for (int k = 1; k < t.size(); k++) {
            s = s.add(t.get(k));
        }
        return s;
    }

    // ---- host-side entry points (one cached graph, any batch and size) ------------------------------

    private static final String X0 = "x0";
    private static final String X1 = "x1";

    private SameDiff hostGraph() {
        if (hostGraph == null) {
            SameDiff sd = Graphs.create();
            SDVariable x0 = sd.placeHolder(X0, DataType.FLOAT, -1, 3, -1, -1);
            SDVariable x1 = sd.placeHolder(X1, DataType.FLOAT, -1, 3, -1, -1);
            TorchWeights w = constants(sd);
            List<SDVariable> terms = terms(sd, w, x0, x1);
            SDVariable total = terms.get(0);
            sd.identity("term0", terms.get(0));
            for (int k = 1; k < terms.size(); k++) {
                sd.identity("term" + k, terms.get(k));
                total = total.add(terms.get(k));
            }
            sd.identity("dist", total);
            sd.sum("dist_sum", total);
            List<SDVariable> t0 = normalizedTaps(sd, w, x0);
            List<SDVariable> raw0 = taps(sd, w, x0);
            for (int k = 0; k < t0.size(); k++) {
                sd.identity("x0_" + TAPS[k] + "_normalized", t0.get(k));
                sd.identity("x0_" + TAPS[k], raw0.get(k));
            }
            sd.identity("x0_scaled", scaled(sd, x0));
            sd.setLossVariables("dist_sum");
            hostGraph = sd;
        }
        return hostGraph;
    }

    private static Map<String, INDArray> feed(INDArray x0, INDArray x1) {
        long[] a = x0.shape();
        if (a.length != 4 || a[1] != 3 || !Arrays.equals(a, x1.shape())) {
            throw new UserError("LPIPS compares RGB image pairs of one shape [N, 3, H, W], got "
                    + Arrays.toString(a) + " and " + Arrays.toString(x1.shape()));
        }
        if (a[2] < 16 || a[3] < 16) {
            throw new UserError("LPIPS needs images of at least 16x16 px (four 2x2 max pools), got "
                    + a[2] + "x" + a[3]);
        }
        return Map.of(X0, x0.castTo(DataType.FLOAT), X1, x1.castTo(DataType.FLOAT));
    }

    /** The distance of each pair, [N], images [N, 3, H, W] in [-1, 1]. */
    public synchronized INDArray distances(INDArray x0, INDArray x1) {
        return hostGraph().output(feed(x0, x1), "dist").get("dist");
    }

    /** Per-tap contributions [5, N] (rows relu1_2..relu5_3; they sum to {@link #distances}). */
    public synchronized INDArray perTap(INDArray x0, INDArray x1) {
        String[] names = new String[TAPS.length];
        for (int k = 0; k < names.length; k++) {
            names[k] = "term" + k;
        }
        Map<String, INDArray> r = hostGraph().output(feed(x0, x1), names);
        INDArray out = Nd4j.create(DataType.FLOAT, TAPS.length, x0.size(0));
        for (int k = 0; k < names.length; k++) {
            out.getRow(k).assign(r.get(names[k]));
        }
        return out;
    }

    /**
     * The scaling layer's output ({@code scaled}) and each tap raw ({@code relu1_2}) and normalised
     * ({@code relu1_2_normalized}) for images x.
     */
    public synchronized Map<String, INDArray> tapValues(INDArray x) {
        List<String> names = new ArrayList<>(List.of("x0_scaled"));
        for (String t : TAPS) {
            names.add("x0_" + t);
            names.add("x0_" + t + "_normalized");
        }
        Map<String, INDArray> r = hostGraph().output(feed(x, x), names.toArray(String[]::new));
        Map<String, INDArray> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n.substring(3), r.get(n)));
        return out;
    }

    /** Gradients of the summed distance w.r.t. x0 and x1: {@code [d/dx0, d/dx1]}. */
    public synchronized INDArray[] gradients(INDArray x0, INDArray x1) {
        SameDiff sd = hostGraph();
        if (!hostGradients) {
            sd.createGradFunction(X0, X1);
            hostGradients = true;
        }
        Map<String, INDArray> g = sd.calculateGradients(feed(x0, x1), X0, X1);
        return new INDArray[] {g.get(X0), g.get(X1)};
    }

    /** Parameters, for messages. */
    public long parameters() {
        return tensors.values().stream().mapToLong(Tensor::numel).sum();
    }
}
