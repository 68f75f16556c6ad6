package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.fast.Polyphase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The trainable weight forms ({@link Weights.Form#TRAINABLE}, {@link Weights.Form#PREPARED}): a model's
 * tensors as graph variables under their canonical names, created on first use (buffers stay constants).
 *
 * <p>Normally a layout is computed by ops on the parameter's variable, on every pass. Prepared (float32
 * training graphs), each layout is instead a variable of its own, a {@link WeightView} filled from the
 * parameter outside the graph ({@link PreparedWeights}): no per-pass ops, and the parameter's gradient
 * is the views' adjoint.
 */
final class PlainWeights implements Weights {
    private final SameDiff sd;
    private final StyleGanModel model;
    private final DataType dtype;
    private final boolean prepared;
    private final Map<String, SDVariable> vars = new LinkedHashMap<>();
    private final Map<String, WeightView> views = new LinkedHashMap<>();   // by variable name

    PlainWeights(SameDiff sd, StyleGanModel model, DataType dtype, boolean prepared) {
        if (prepared && dtype != DataType.FLOAT) {
            throw new IllegalStateException("prepared weights are for float32 training graphs");
        }
        this.sd = sd;
        this.model = model;
        this.dtype = dtype;
        this.prepared = prepared;
    }

    @Override
    public Form form() {
        return prepared ? Form.PREPARED : Form.TRAINABLE;
    }

    @Override
    public boolean pooledBlur() {
        return true;
    }

    /**
     * Polyphase with pooled blurs (libnd4j's deconv2d and depthwise-conv gradients are slow). The FIR folded
     * into the kernels instead (36 multiply-adds per input pixel and channel pair, not 16) was slower at
     * every width measured once the pools' gradients ran without keeping their inputs ({@code FastKernels}):
     * stylegan2-ada's 64 px network and config-f at 256 px (23.5 s a step against 29.5). Only the
     * path-length tape's adjoint takes the folded form.
     */
    @Override
    public ConvForm upConv(int res) {
        return ConvForm.POLYPHASE_POOLED_UP;
    }

    @Override
    public SDVariable[] kernels(String name, double scale, ConvForm form) {
        long[] s = model.tensor(name).shape();
        return switch (form) {
            case SAME -> new SDVariable[] {hwio(name, scale)};
            case FOLDED_UP -> new SDVariable[] {upConvFolded(name, scale)};
            case POLYPHASE_UP, POLYPHASE_POOLED_UP -> prepared ? new SDVariable[] {upConvRows(name, scale, 0), upConvRows(name, scale, 1)}
                    : Polyphase.rowKernels(Polyphase.upConvKernel(sd, scaled(name, scale), s[0], s[1], false), s[0]);
            case TRANSPOSED_UP -> new SDVariable[] {scaled(name, scale).permute(2, 3, 0, 1)};
        };
    }

    @Override
    public Demodulation demodulation(SDVariable styles, String weight, double scale) {
        SDVariable squares = sd.math().square(hwio(weight, scale)).sum(0, 1);                 // [I, O]
        SDVariable sumSq = sd.math().square(styles).mmul(squares);                              // [N, O]
        return new Demodulation(sd.math().rsqrt(sumSq.add(1e-8)).mul(Ops.SQRT2), squares);
    }

    @Override
    public SDVariable constNoise(String layer, int res, double gain) {
        return get(Names.noiseConst(layer)).reshape(1, res, res, 1).mul(scaled(Names.noiseStrength(layer), gain));
    }

    @Override
    public SDVariable get(String name) {
        if (prepared && !Names.isBuffer(name)) {
            long[] shape = model.tensor(name).shape();
            int n = Math.toIntExact(Tensor.numel(shape));
            return view(name, name, shape, n, 1, 1, null, 1, WeightView.Layout.columnsOf(n));
        }
        return vars.computeIfAbsent(name, n -> {
            var arr = Ops.array(model.tensor(n)).castTo(dtype);
            return !Names.isBuffer(n) ? sd.var(n, arr) : sd.constant(n, arr);
        });
    }

    @Override
    public Map<String, SDVariable> all() {
        return Collections.unmodifiableMap(vars);
    }

    /** The views of a prepared graph, in creation order. */
    @Override
    public PreparedWeights prepared() {
        if (!prepared) {
            throw new IllegalStateException("the graph was not built with prepared weights");
        }
        return new PreparedWeights(new ArrayList<>(views.values()));
    }

    /** The parameter times {@code scale}, same shape. */
    @Override
    public SDVariable scaled(String name, double scale) {
        if (!prepared) {
            return scale == 1 ? get(name) : get(name).mul(scale);
        }
        if (scale == 1) {
            return get(name);
        }
        long[] shape = model.tensor(name).shape();
        int n = Math.toIntExact(Tensor.numel(shape));
        return view(name, name + "@scaled", shape, n, 1, 1, null, scale, WeightView.Layout.columnsOf(n));
    }

    /** x (W scale)^T for a dense weight W [out, in]. */
    @Override
    public SDVariable dense(SDVariable x, String weight, double scale) {
        if (!prepared) {   // the transposed-operand flag: a third cheaper than a permute op, gradient included
            return sd.linalg().mmul(x, get(weight), false, true, false).mul(scale);
        }
        return x.mmul(denseView(weight, scale));
    }

    /** A dense weight [out, in] times {@code scale} as [in, out]. */
    private SDVariable denseView(String weight, double scale) {
        long[] s = model.tensor(weight).shape();
        int out = (int) s[0];
        int in = (int) s[1];
        return view(weight, weight + "@dense", new long[] {in, out}, out, in, 1, null, scale, new WeightView.Layout(out, m -> 0));
    }

    /** The adjoint of {@link #dense}: g (W scale) for g [N, out] -> [N, in], with the same variable or view. */
    @Override
    public SDVariable denseAdjoint(SDVariable g, String weight, double scale) {
        if (!prepared) {
            return g.mmul(get(weight)).mul(scale);
        }
        return sd.linalg().mmul(g, denseView(weight, scale), false, true, false);
    }

    /** A conv weight [O, I, k, k] times {@code scale} in SameDiff's [k, k, I, O] layout. */
    @Override
    public SDVariable hwio(String name, double scale) {
        if (!prepared) {
            return scaled(name, scale).permute(2, 3, 1, 0);
        }
        long[] s = model.tensor(name).shape();
        int o = (int) s[0];
        int in = (int) s[1];
        int kk = (int) (s[2] * s[3]);
        return view(name, name + "@hwio", new long[] {s[2], s[3], in, o}, o, in, kk, null, scale,
                new WeightView.Layout(o, m -> (long) m * in * o));
    }

    /** A [C, H, W] constant input as [H, W, C]. */
    @Override
    public SDVariable hwc(String name) {
        if (!prepared) {
            return get(name).permute(1, 2, 0);
        }
        long[] s = model.tensor(name).shape();
        int c = (int) s[0];
        int hw = (int) (s[1] * s[2]);
        return view(name, name + "@hwc", new long[] {s[1], s[2], c}, c, 1, hw, null, 1, WeightView.Layout.columnsOf(c));
    }

    /**
     * The folded polyphase kernel of {@link Polyphase#upConvFoldedNhwc} for a [O, I, 3, 3] weight times
     * {@code scale}: [3, 3, I, (phase y, phase x, O)].
     */
    private SDVariable upConvFolded(String name, double scale) {
        long[] s = model.tensor(name).shape();
        if (!prepared) {
            return Polyphase.upConvKernel(sd, scaled(name, scale), s[0], s[1], true);
        }
        int o = (int) s[0];
        int in = (int) s[1];
        // columns of the tap matrix: ((dy, dx), phase y, phase x)
        return view(name, name + "@up_folded", new long[] {3, 3, in, 4L * o}, o, in, 9, Polyphase.upConvTapMatrix(true),
                scale, new WeightView.Layout(4L * o, m -> ((long) (m >> 2) * in * 4 + (m & 3)) * o));
    }

    /**
     * One of the two row kernels of {@link Polyphase#upConvNhwc} for a [O, I, 3, 3] weight times
     * {@code scale}: [2, 2, I, (phase x, O)] for the output rows of phase {@code py}.
     */
    private SDVariable upConvRows(String name, double scale, int py) {
        long[] s = model.tensor(name).shape();
        int o = (int) s[0];
        int in = (int) s[1];
        double[][] all = Polyphase.upConvTapMatrix(false);      // columns (dy, dx, phase y, phase x)
        double[][] taps = new double[9][8];                      // columns (dy, dx, phase x) of phase py
        for (int t = 0; t < 9; t++) {
            for (int d = 0; d < 4; d++) {
                for (int px = 0; px < 2; px++) {
                    taps[t][d * 2 + px] = all[t][d * 4 + py * 2 + px];
                }
            }
        }
        return view(name, name + "@up_rows" + py, new long[] {2, 2, in, 2L * o}, o, in, 9, taps, scale,
                new WeightView.Layout(2L * o, col -> ((long) (col >> 1) * in * 2 + (col & 1)) * o));
    }

    private SDVariable view(String param, String variable, long[] shape, int outs, int ins, int taps, double[][] matrix,
                            double scale, WeightView.Layout layout) {
        WeightView existing = views.get(variable);
        if (existing != null) {
            if (!existing.sameMap(scale)) {
                throw new IllegalStateException(variable + " is used with two different scales");
            }
            return vars.get(variable);
        }
        WeightView v = new WeightView(param, variable, shape, outs, ins, taps, matrix, scale, layout);
        float[] values = new float[v.size()];
        v.apply(model.tensor(param).data(), values);
        views.put(variable, v);
        SDVariable var = sd.var(variable, Ops.array(new Tensor(shape, values)));
        vars.put(variable, var);
        return var;
    }
}
