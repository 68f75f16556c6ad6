package io.ukiyoe.graphs.nn;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the StyleGAN2 generator ('skip' architecture) in a SameDiff graph, one small method per
 * concept, with every parameter a variable under its canonical name (or, with prepared weights, views
 * of it). Equalised learning rate is applied where a weight is used, in the graph or in its prepared
 * view: stored weights are never rescaled.
 */
public final class GeneratorGraph {
    /** Where the per-layer noise comes from. */
    public enum Noise {
        CONST,  // the stored noise_const maps (reproducible; what reference outputs use)
        INPUT,  // placeholders "noise/<layer>" [N,1,r,r] fed by the caller (random noise)
        NONE    // no noise
    }

    /**
     * Output resolution from which the upsampling convs of inference graphs run in polyphase form
     * ({@link Ops#upConvNhwc}; trainable graphs use {@link Ops#upConvFoldedNhwc} everywhere).
     * Below it the transposed conv + blur is as fast (small maps, where the polyphase kernels' 16/9
     * multiply-adds and larger weights cost what the faster conv saves): config-f synthesis at 256 px
     * here took 0.46 s with polyphase from 256 px, 0.48 s from 128 or 64 px, 0.55 s without.
     */
    static final int POLYPHASE_MIN_RES = 256;

    private final SameDiff sd;
    private final StyleGanModel model;
    private final StyleGanConfig c;
    private final boolean trainable;
    private final DataType dtype;
    private final GraphParams params;
    private int fixedBatch;                                   // 0: any batch size
    private boolean singleSample;                             // inference graph for batches of one

    /** Output resolution from which {@link #singleSample()} graphs fold styles into conv weights. */
    static final int FUSED_MIN_RES = 128;
    private final Map<Long, SDVariable> batchOnes = new java.util.HashMap<>();
    private GeneratorInputGradient.Tape tape;                // records the forward pass for its adjoint, or null

    /**
     * @param trainable true: parameters become trainable variables; false: constants (inference,
     *                  cheaper and safe to export)
     */
    public GeneratorGraph(SameDiff sd, StyleGanModel model, boolean trainable) {
        this(sd, model, trainable, DataType.FLOAT);
    }

    /** @param dtype FLOAT normally; DOUBLE for numerically delicate work (finite differences) */
    public GeneratorGraph(SameDiff sd, StyleGanModel model, boolean trainable, DataType dtype) {
        this.sd = sd;
        this.model = model;
        this.c = model.config();
        this.trainable = trainable;
        this.dtype = dtype;
        this.params = new GraphParams(sd, model, trainable, dtype);
    }

    /**
     * Declares that this graph only ever runs batches of {@code n} (training steps), which lets the
     * per-sample channel scalings (modulation, demodulation) take a form whose gradient is cheap: on
     * M2.1 the gradient of a broadcast multiply by [N, 1, 1, C] took 23 ms at [8, 64, 64, 32], a
     * fifth of a training step's op time; as a batched matmul with ones it takes about 3.
     */
    public GeneratorGraph fixedBatch(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + n);
        }
        this.fixedBatch = n;
        return this;
    }

    /**
     * Declares an inference graph for batches of one, whose convs from {@link #FUSED_MIN_RES} up take
     * the style and the demodulation in their weights (the references' fused modconv), sparing two
     * passes over each large map for a pass over the (there smaller) weights.
     */
    public GeneratorGraph singleSample() {
        if (trainable) {
            throw new IllegalStateException("single-sample (fused) graphs are for inference");
        }
        this.singleSample = true;
        return this;
    }

    /**
     * Declares a training graph whose parameters enter as prepared views ({@link PreparedWeights}):
     * scaled, permuted and FIR-folded outside the graph, so that neither pass spends ops on them.
     * Load parameters and read gradients through {@link #weights()}.
     */
    public GeneratorGraph preparedWeights() {
        params.prepare();
        return this;
    }

    /** The prepared views of this graph's parameters (after {@link #preparedWeights()} and building). */
    public PreparedWeights weights() {
        return params.weights();
    }

    /** The variable of a canonical tensor, created on first use. */
    public SDVariable param(String name) {
        return params.get(name);
    }

    public Map<String, SDVariable> params() {
        return params.all();
    }

    // ---- mapping ---------------------------------------------------------------------------------

    /** z [N, z_dim] -> w [N, w_dim]: 2nd-moment normalisation, then n_mlp equalised FC + lrelu. */
    public SDVariable mapping(SDVariable z) {
        SDVariable x = z.mul(sd.math().rsqrt(sd.math().square(z).mean(true, 1).add(1e-8)));
        for (int i = 0; i < c.nMlp(); i++) {
            long in = i == 0 ? c.zDim() : c.wDim();
            double gain = c.mappingLrMul() / Math.sqrt(in);
            // lrelu(v) sqrt(2) = lrelu(sqrt(2) v): the gain rides on the weight and bias scales
            SDVariable y = dense(x, Names.fc(i, "weight"), gain * Ops.SQRT2);
            x = Ops.lreluOfScaled(sd, y.add(scaled(Names.fc(i, "bias"), c.mappingLrMul() * Ops.SQRT2)), null);
        }
        return x;
    }

    /** w [N, w_dim] -> ws [N, num_ws, w_dim] with truncation psi towards w_avg for layers below cutoff. */
    public SDVariable broadcastAndTruncate(SDVariable w, double psi, int cutoff) {
        SDVariable ws = sd.expandDims(w, 1).mul(sd.constant(org.nd4j.linalg.factory.Nd4j.ones(dtype, 1, c.numWs(), 1)));
        if (psi == 1) {
            return ws;
        }
        float[] per = new float[c.numWs()];
        for (int i = 0; i < per.length; i++) {
            per[i] = i < cutoff ? (float) psi : 1f;
        }
        SDVariable p = sd.constant(org.nd4j.linalg.factory.Nd4j.create(per, new long[] {1, c.numWs(), 1}, DataType.FLOAT)
                .castTo(dtype));
        SDVariable avg = param(Names.W_AVG).reshape(1, 1, c.wDim());
        return avg.add(ws.sub(avg).mul(p));
    }

    // ---- synthesis -------------------------------------------------------------------------------

    /**
     * ws [N, num_ws, w_dim] -> image [N, 3, R, R]. Feature maps and the skip image run channels-last
     * (NHWC), where oneDNN's convolutions are about twice as fast here; only the output is permuted.
     */
    public SDVariable synthesis(SDVariable ws, Noise noise) {
        return synthesis(ws, noise, null);
    }

    /** {@link #synthesis(SDVariable, Noise)}, recording each layer's intermediates on {@code tape} (when not null). */
    SDVariable synthesis(SDVariable ws, Noise noise, GeneratorInputGradient.Tape tape) {
        this.tape = tape;
        SDVariable constant = params.hwc(Names.block(4) + "/const");                  // [4, 4, C4]
        SDVariable batchOnes = sd.expandDims(sd.expandDims(sd.expandDims(
                ws.get(SDIndex.all(), SDIndex.point(0), SDIndex.point(0)).mul(0).add(1), 1), 2), 3);
        SDVariable x = batchOnes.mul(sd.expandDims(constant, 0)); // [N, 4, 4, C4]
        x = styledConv(x, ws, 0, 4, "conv1", false, noise);
        SDVariable img = toRgb(x, ws, 1, 4);
        for (int res = 8; res <= c.resolution(); res *= 2) {
            int l = Integer.numberOfTrailingZeros(res);
            x = styledConv(x, ws, 2 * l - 5, res, "conv0", true, noise);
            x = styledConv(x, ws, 2 * l - 4, res, "conv1", false, noise);
            img = Ops.upsample2dNhwc(sd, img, 3, res / 2).add(toRgb(x, ws, 2 * l - 3, res));
        }
        this.tape = null;
        return img.permute(0, 3, 1, 2);                                          // [N, 3, R, R]
    }

    boolean trainable() {
        return trainable;
    }

    StyleGanConfig config() {
        return c;
    }

    SameDiff sameDiff() {
        return sd;
    }

    /** The adjoint of {@link #style}: d/dw of sum(g * style(w)) for g [N, C_in] -> [N, w_dim]. */
    SDVariable styleAdjoint(SDVariable g, String layer, double gain) {
        return params.denseAdjoint(g, layer + "/affine/weight", gain / Math.sqrt(c.wDim()));
    }

    /** The style of one layer times {@code gain}: affine(w[:, idx]) -> [N, C_in] (bias initialised to 1 in training). */
    private SDVariable style(SDVariable ws, int idx, String layer, double gain) {
        SDVariable w = ws.get(SDIndex.all(), SDIndex.point(idx), SDIndex.all());
        return dense(w, layer + "/affine/weight", gain / Math.sqrt(c.wDim())).add(scaled(layer + "/affine/bias", gain));
    }

    /**
     * A parameter times {@code scale}: in trainable graphs an op on the variable or a prepared view,
     * in inference graphs a constant computed once (each op a pass costs SameDiff's per-op overhead too).
     */
    private SDVariable scaled(String name, double scale) {
        if (trainable) {
            return params.scaled(name, scale);
        }
        return scale == 1 ? param(name) : sd.constant(name + "/prepared", Ops.array(model.tensor(name)).castTo(dtype).mul(scale));
    }

    /**
     * x W^T scale for a dense weight W [out, in]. Inference graphs hold (W scale)^T as a constant,
     * prepared once: permuting a 512 x 512 weight on every pass cost about 1 ms a layer.
     */
    private SDVariable dense(SDVariable x, String weight, double scale) {
        if (trainable) {
            return params.dense(x, weight, scale);
        }
        return x.mmul(sd.constant(weight + "/prepared",
                Ops.array(model.tensor(weight)).castTo(dtype).mul(scale).transpose().dup('c')));
    }

    /**
     * Modulated 3x3 conv (+ optional 2x up), demodulation, noise, bias, lrelu. SameDiff has no
     * grouped conv, so the style scales the input, one conv is shared by the batch, and the
     * demodulation coefficients scale the output — the same result as the fused grouped form.
     */
    private SDVariable styledConv(SDVariable x, SDVariable ws, int idx, int res, String conv, boolean up,
                                  Noise noise) {
        String layer = Names.layer(res, conv);
        int cin = up ? c.channels(res / 2) : c.channels(res);
        int cout = c.channels(res);
        SDVariable s = style(ws, idx, layer, 1);                                 // [N, Cin]
        boolean polyphase = up && (trainable || res >= POLYPHASE_MIN_RES);
        Kernel w = kernel(layer + "/weight", 1 / Math.sqrt(cin * 9.0), up, polyphase, true);
        // the activation's sqrt(2) gain rides on the small per-channel factors (lrelu(a v) = a lrelu(v)
        // for a > 0), which spares a pass over the full-resolution map
        // (inference graphs: sqrt(2) rsqrt(v + eps) = rsqrt(v / 2 + eps / 2) with the halved squares stored)
        SDVariable sumSq = sd.math().square(s).mmul(w.squares());                                       // [N, Cout]
        SDVariable d = trainable ? sd.math().rsqrt(sumSq.add(1e-8)).mul(Ops.SQRT2)
                : sd.math().rsqrt(sumSq.add(0.5e-8));                                                   // [N, Cout]
        boolean fused = singleSample && res >= FUSED_MIN_RES;
        SDVariable[] k = fused ? modulated(w.kernels(), s, d, up && !polyphase, polyphase, cin, cout) : w.kernels();
        SDVariable xs = fused ? x : scaleChannels(x, s, up ? res / 2 : res, cin);
        SDVariable y;
        if (polyphase && trainable) {
            y = Ops.upConvFoldedNhwc(sd, xs, k[0], res / 2, cout);                // [N, 2H, 2W, Cout], FIR included
        } else if (polyphase) {
            y = Ops.upConvNhwc(sd, xs, k, res / 2, cout);                         // [N, 2H, 2W, Cout], FIR included
        } else if (up) {
            y = Ops.convTransposeStride2Nhwc(sd, xs, k[0], 3);                    // [N, 2H+1, 2W+1, Cout]
            y = Ops.blurNhwc(sd, y, cout, 1, 1, 4);                               // FIR pad (1,1) gain 4
        } else {
            y = Ops.convNhwc(sd, xs, k[0], 3, 1);
        }
        SDVariable convOut = y;
        if (!fused) {
            y = scaleChannels(y, d, res, cout);
        }
        y = addNoise(y, layer, res, noise, Ops.SQRT2);
        SDVariable pre = y.add(scaled(layer + "/bias", Ops.SQRT2));                 // [C] broadcasts over NHWC
        if (tape != null) {
            tape.conv(new GeneratorInputGradient.ConvSite(layer, idx, res, up, cin, cout, x, s, k[0], w.squares(),
                    d, convOut, pre));
        }
        return Ops.lreluOfScaled(sd, pre, c.convClamp());
    }

    /**
     * Conv kernels of a batch of one with its style s [1, Cin] on the input channels and its
     * demodulation d [1, Cout] (or null) on the output channels: [k, k, Cin, Cout], polyphase row
     * kernels [k, k, Cin, (column phase, Cout)], or, transposed, [k, k, Cout, Cin].
     */
    private SDVariable[] modulated(SDVariable[] kernels, SDVariable s, SDVariable d, boolean transposed,
                                   boolean rowPhases, long cin, long cout) {
        SDVariable[] out = new SDVariable[kernels.length];
        for (int i = 0; i < kernels.length; i++) {
            if (transposed) {
                out[i] = kernels[i].mul(s.reshape(1, 1, 1, cin)).mul(d.reshape(1, 1, cout, 1));
                continue;
            }
            SDVariable k = kernels[i].mul(s.reshape(1, 1, cin, 1));
            if (d != null) {
                SDVariable dd = rowPhases ? sd.concat(1, d, d) : d;             // (column phase, Cout)
                k = k.mul(dd.reshape(1, 1, 1, rowPhases ? 2 * cout : cout));
            }
            out[i] = k;
        }
        return out;
    }

    /**
     * x [N, H, W, C] times a per-sample, per-channel factor f [N, C]. With a fixed batch the factor
     * is first spread over the map by a batched matmul with ones ([N, HW, 1] x [N, 1, C]), so that
     * both gradients are plain same-shape products and a matmul (see {@link #fixedBatch}).
     */
    SDVariable scaleChannels(SDVariable x, SDVariable f, int res, long channels) {
        if (fixedBatch == 0) {
            return x.mul(f.reshape(-1, 1, 1, channels));
        }
        long hw = (long) res * res;
        SDVariable ones = batchOnes.computeIfAbsent(hw, k -> sd.constant(org.nd4j.linalg.factory.Nd4j.ones(dtype, fixedBatch, k, 1)));
        return x.mul(sd.mmul(ones, f.reshape(fixedBatch, 1, channels)).reshape(fixedBatch, res, res, channels));
    }

    /**
     * A conv weight [Cout, Cin, k, k] times its equalised-lr scale, in SameDiff's layout (HWIO for
     * conv, [k, k, Cout, Cin] for the transposed conv, the two row-phase kernels of
     * {@link Ops#upConvNhwc}, or the four-phase kernel of {@link Ops#upConvFoldedNhwc}), with the
     * [Cin, Cout] sums of squares the demodulation needs (halved in inference graphs; null for toRGB,
     * which does not demodulate).
     * Trainable graphs compute them from the variable or its prepared views; inference graphs store
     * them precomputed so a forward pass does not permute weights every time.
     */
    record Kernel(SDVariable[] kernels, SDVariable squares) {
        SDVariable kernel() {
            return kernels[0];
        }
    }

    private Kernel kernel(String name, double scale, boolean transposed, boolean polyphase, boolean demodulated) {
        int[] perm = transposed ? new int[] {2, 3, 0, 1} : new int[] {2, 3, 1, 0};
        if (trainable) {              // (up-convs of trainable graphs are always polyphase: never transposed)
            SDVariable hwio = params.hwio(name, scale);
            SDVariable[] k = {polyphase ? params.upConvFolded(name, scale) : hwio};
            return new Kernel(k, demodulated ? sd.math().square(hwio).sum(0, 1) : null);
        }
        var w = Ops.array(model.tensor(name)).castTo(dtype).mul(scale);
        SDVariable[] k = polyphase ? Ops.upConvKernels(sd, name + "/prepared", w)
                : new SDVariable[] {sd.constant(name + "/prepared", w.permute(perm).dup('c'))};
        if (!demodulated) {
            return new Kernel(k, null);
        }
        var squares = w.mul(w).sum(2, 3).mul(0.5).transpose().dup('c');    // [Cin, Cout], halved: see styledConv
        return new Kernel(k, sd.constant(name + "/squares", squares));
    }

    /** y + noise * strength * gain. */
    private SDVariable addNoise(SDVariable y, String layer, int res, Noise noise, double gain) {
        if (noise == Noise.NONE) {
            return y;
        }
        String constName = layer + "/noise_const";
        if (noise == Noise.CONST && !trainable) {                               // one constant map: one add
            double strength = model.tensor(layer + "/noise_strength").data()[0] * gain;
            return y.add(sd.constant(constName + "/prepared",
                    Ops.array(model.tensor(constName)).castTo(dtype).reshape(1, res, res, 1).mul(strength)));
        }
        SDVariable strength = scaled(layer + "/noise_strength", gain);
        return switch (noise) {
            case NONE -> y;
            case CONST -> y.add(param(constName).reshape(1, res, res, 1).mul(strength));
            // the public input is NCHW [N, 1, r, r]; with one channel that is a reshape away from NHWC
            case INPUT -> y.add(sd.placeHolder(noiseInput(layer), dtype, -1, 1, res, res)
                    .reshape(-1, res, res, 1).mul(strength));
        };
    }

    /** Placeholder name of a layer's noise input in {@link Noise#INPUT} mode. */
    public static String noiseInput(String layer) {
        return "noise/" + layer;
    }

    /** 1x1 modulated conv without demodulation, + bias (no activation), clamped to +-conv_clamp. */
    private SDVariable toRgb(SDVariable x, SDVariable ws, int idx, int res) {
        String layer = Names.layer(res, "torgb");
        int cin = c.channels(res);
        SDVariable s = style(ws, idx, layer, 1 / Math.sqrt(cin));
        SDVariable w = kernel(layer + "/weight", 1, false, false, false).kernel();
        SDVariable y = singleSample && res >= FUSED_MIN_RES
                ? Ops.convNhwc(sd, x, modulated(new SDVariable[] {w}, s, null, false, false, cin, 3)[0], 1, 0)
                : Ops.convNhwc(sd, scaleChannels(x, s, res, cin), w, 1, 0);            // [N, H, W, 3]
        y = y.add(param(layer + "/bias"));                                              // [3] broadcasts over NHWC
        if (tape != null) {
            tape.rgb(new GeneratorInputGradient.RgbSite(layer, idx, res, cin, x, s, w, y));
        }
        Double clamp = c.convClamp();
        return clamp == null ? y : sd.math().clipByValue(y, -clamp, clamp);
    }
}
