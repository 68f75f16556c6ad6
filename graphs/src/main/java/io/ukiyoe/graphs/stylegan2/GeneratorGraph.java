package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.fast.FusedModConv;
import io.ukiyoe.graphs.stylegan2.fast.Polyphase;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The StyleGAN2 generator ('skip' architecture) in a SameDiff graph, as in stylegan2-ada's networks.py:
 * a mapping network z -> w, then a synthesis network of one block per resolution (modulated convs with
 * noise, toRGB, the skip image upsampled between blocks). Parameters enter in the caller's
 * {@link Weights} form; the speed-ups a caller may ask for ({@link #singleSample})
 * each replace one step of the plain definition. Feature maps and the skip image run channels-last
 * (NHWC), where oneDNN's convolutions are about twice as fast here; only the output is permuted.
 * Every tensor's shape was checked against the config when the {@link StyleGanModel} was made; the
 * activations' shapes at block boundaries are declared in {@link #shapes()} and checked on a graph's
 * first pass by whoever runs it (SameDiff M2.1 knows no activation shapes while a graph is built).
 */
public final class GeneratorGraph extends StyleGanGraph {
    /** Where the per-layer noise comes from. */
    public enum Noise {
        CONST,  // the stored noise_const maps (reproducible; what reference outputs use)
        INPUT,  // placeholders "noise/<layer>" [N,1,r,r] fed by the caller (random noise)
        NONE    // no noise
    }

    private final DataType dtype;
    private boolean singleSample;                             // inference graph for batches of one
    private GeneratorInputGradient.Tape tape;                // records the forward pass for its adjoint, or null

    /** @param trainable true: {@link Weights.Form#TRAINABLE}; false: {@link Weights.Form#CONSTANT} */
    public GeneratorGraph(SameDiff sd, StyleGanModel model, boolean trainable) {
        this(sd, model, trainable ? Weights.Form.TRAINABLE : Weights.Form.CONSTANT);
    }

    public GeneratorGraph(SameDiff sd, StyleGanModel model, Weights.Form form) {
        this(sd, model, form, DataType.FLOAT);
    }

    /** @param dtype FLOAT normally; DOUBLE for numerically delicate work (finite differences) */
    public GeneratorGraph(SameDiff sd, StyleGanModel model, Weights.Form form, DataType dtype) {
        super(sd, model, form, dtype);
        this.dtype = dtype;
    }

    /** Declares an inference graph for batches of one, whose large convs are fused ({@link FusedModConv}). */
    public GeneratorGraph singleSample() {
        if (weights.trainable()) {
            throw new IllegalStateException("single-sample (fused) graphs are for inference");
        }
        this.singleSample = true;
        return this;
    }

    // ---- mapping ---------------------------------------------------------------------------------

    /** z [N, z_dim] -> w [N, w_dim]: 2nd-moment normalisation, then n_mlp equalised FC + lrelu. */
    public SDVariable mapping(SDVariable z) {
        SDVariable x = z.mul(sd.math().rsqrt(sd.math().square(z).mean(true, 1).add(1e-8)));
        for (int i = 0; i < c.nMlp(); i++) {
            long in = i == 0 ? c.zDim() : c.wDim();
            double gain = c.mappingLrMul() / Math.sqrt(in);
            // lrelu(v) sqrt(2) = lrelu(sqrt(2) v): the gain rides on the weight and bias scales
            SDVariable y = weights.dense(x, Names.fc(i, "weight"), gain * Ops.SQRT2);
            x = Ops.lreluOfScaled(sd, y.add(weights.scaled(Names.fc(i, "bias"), c.mappingLrMul() * Ops.SQRT2)), null);
        }
        return shapes.expect(x, "mapping: w", BlockShapes.BATCH, c.wDim());
    }

    /** w [N, w_dim] -> ws [N, num_ws, w_dim] with truncation psi towards w_avg for layers below cutoff. */
    public SDVariable broadcastAndTruncate(SDVariable w, double psi, int cutoff) {
        SDVariable ws = sd.expandDims(w, 1).mul(sd.constant(Nd4j.ones(dtype, 1, c.numWs(), 1)));
        if (psi == 1) {
            return ws;
        }
        float[] per = new float[c.numWs()];
        for (int i = 0; i < per.length; i++) {
            per[i] = i < cutoff ? (float) psi : 1f;
        }
        SDVariable p = sd.constant(Nd4j.create(per, new long[] {1, c.numWs(), 1}, DataType.FLOAT).castTo(dtype));
        SDVariable avg = param(Names.W_AVG).reshape(1, 1, c.wDim());
        return avg.add(ws.sub(avg).mul(p));
    }

    // ---- synthesis -------------------------------------------------------------------------------

    /** ws [N, num_ws, w_dim] -> image [N, 3, R, R]. */
    public SDVariable synthesis(SDVariable ws, Noise noise) {
        return synthesis(ws, noise, null);
    }

    /** {@link #synthesis(SDVariable, Noise)}, recording each layer's intermediates on {@code tape} (when not null). */
    SDVariable synthesis(SDVariable ws, Noise noise, GeneratorInputGradient.Tape tape) {
        this.tape = tape;
        SDVariable[] xImg = inputBlock(ws, noise);
        for (int res = 8; res <= c.resolution(); res *= 2) {
            xImg = block(xImg[0], xImg[1], ws, res, noise);
        }
        this.tape = null;
        return shapes.expect(xImg[1].permute(0, 3, 1, 2), "synthesis: image",
                BlockShapes.BATCH, 3, c.resolution(), c.resolution());
    }

    /** The 4x4 block: the learned constant, conv1, toRGB -> {x [N, 4, 4, C4], img [N, 4, 4, 3]}. */
    private SDVariable[] inputBlock(SDVariable ws, Noise noise) {
        SDVariable constant = weights.hwc(Names.block(4) + "/const");                    // [4, 4, C4]
        SDVariable batchOnes = sd.expandDims(sd.expandDims(sd.expandDims(
                ws.get(SDIndex.all(), SDIndex.point(0), SDIndex.point(0)).mul(0).add(1), 1), 2), 3);
        SDVariable x = batchOnes.mul(sd.expandDims(constant, 0));
        x = modulatedConv(x, ws, 0, 4, "conv1", false, noise);
        return blockOutput(4, x, toRgb(x, ws, 1, 4));
    }

    /** One synthesis block, res / 2 -> res: conv0 (2x up), conv1, toRGB added to the upsampled skip image. */
    private SDVariable[] block(SDVariable x, SDVariable img, SDVariable ws, int res, Noise noise) {
        int l = Integer.numberOfTrailingZeros(res);
        x = modulatedConv(x, ws, 2 * l - 5, res, "conv0", true, noise);
        x = modulatedConv(x, ws, 2 * l - 4, res, "conv1", false, noise);
        img = Polyphase.upsample2dNhwc(sd, img, 3, res / 2).add(toRgb(x, ws, 2 * l - 3, res));
        return blockOutput(res, x, img);
    }

    /** A block's outputs, declared: x [N, res, res, C(res)] and the skip image [N, res, res, 3] (NHWC). */
    private SDVariable[] blockOutput(int res, SDVariable x, SDVariable img) {
        return new SDVariable[] {
            shapes.expect(x, "synthesis b" + res + ": x", BlockShapes.BATCH, res, res, c.channels(res)),
            shapes.expect(img, "synthesis b" + res + ": img", BlockShapes.BATCH, res, res, 3)};
    }

    /** The style of one layer times {@code gain}: affine(w[:, idx]) -> [N, C_in] (bias initialised to 1 in training). */
    private SDVariable style(SDVariable ws, int idx, String layer, double gain) {
        SDVariable w = ws.get(SDIndex.all(), SDIndex.point(idx), SDIndex.all());
        return weights.dense(w, layer + "/affine/weight", gain / Math.sqrt(c.wDim()))
                .add(weights.scaled(layer + "/affine/bias", gain));
    }

    /** The adjoint of {@link #style}: d/dw of sum(g * style(w)) for g [N, C_in] -> [N, w_dim]. */
    SDVariable styleAdjoint(SDVariable g, String layer, double gain) {
        return weights.denseAdjoint(g, layer + "/affine/weight", gain / Math.sqrt(c.wDim()));
    }

    /**
     * Modulated 3x3 conv (+ optional 2x up), demodulation, noise, bias, lrelu. SameDiff has no grouped
     * conv, so the style scales the input, one conv is shared by the batch, and the demodulation
     * scales the output: the same result as the references' grouped form.
     */
    private SDVariable modulatedConv(SDVariable x, SDVariable ws, int idx, int res, String conv, boolean up,
                                     Noise noise) {
        String layer = Names.layer(res, conv);
        String weight = layer + "/weight";
        int cin = up ? c.channels(res / 2) : c.channels(res);
        int cout = c.channels(res);
        int inRes = up ? res / 2 : res;
        double scale = 1 / Math.sqrt(cin * 9.0);
        SDVariable s = style(ws, idx, layer, 1);                                          // [N, Cin]
        Weights.Demodulation demod = weights.demodulation(s, weight, scale);              // [N, Cout], gain sqrt(2)
        // the input-gradient graph's adjoint is written for the folded form
        ConvForm form = !up ? ConvForm.SAME : tape != null ? ConvForm.FOLDED_UP : weights.upConv(res);
        SDVariable[] k = weights.kernels(weight, scale, form);
        SDVariable y;
        SDVariable convOut = null;                                                      // before demodulation
        if (fused(res)) {
            y = form.apply(sd, x, FusedModConv.modulate(sd, k, s, demod.d(), form == ConvForm.TRANSPOSED_UP,
                    form.polyphase(), cin, cout), 3, inRes, cout);
        } else {
            convOut = form.apply(sd, scaleChannels(x, s, inRes, cin), k, 3, inRes, cout);
            y = scaleChannels(convOut, demod.d(), res, cout);
        }
        y = addNoise(y, layer, res, noise, Ops.SQRT2);
        SDVariable pre = y.add(weights.scaled(layer + "/bias", Ops.SQRT2));              // [C] broadcasts over NHWC
        if (tape != null) {
            tape.conv(new GeneratorInputGradient.ConvSite(layer, idx, res, up, cin, cout, x, s, k[0], demod.squares(),
                    demod.d(), convOut, pre));
        }
        return Ops.lreluOfScaled(sd, pre, c.convClamp());
    }

    /** 1x1 modulated conv without demodulation, + bias (no activation), clamped to +-conv_clamp. */
    private SDVariable toRgb(SDVariable x, SDVariable ws, int idx, int res) {
        String layer = Names.layer(res, "torgb");
        int cin = c.channels(res);
        SDVariable s = style(ws, idx, layer, 1 / Math.sqrt(cin));
        SDVariable w = weights.hwio(layer + "/weight", 1);
        // trained, a matrix product (cheap gradient); for inference oneDNN's conv (the product's reshapes copy the map)
        SDVariable y = fused(res)
                ? Ops.convNhwc(sd, x, FusedModConv.modulate(sd, new SDVariable[] {w}, s, null, false, false, cin, 3)[0], 1, 0)
                : weights.trainable() ? Ops.pointwiseNhwc(scaleChannels(x, s, res, cin), w, res, cin, 3)
                : Ops.convNhwc(sd, scaleChannels(x, s, res, cin), w, 1, 0);              // [N, H, W, 3]
        y = y.add(param(layer + "/bias"));                                               // [3] broadcasts over NHWC
        if (tape != null) {
            tape.rgb(new GeneratorInputGradient.RgbSite(layer, idx, res, cin, x, s, w, y));
        }
        Double clamp = c.convClamp();
        return clamp == null ? y : sd.math().clipByValue(y, -clamp, clamp);
    }

    /** y + noise * strength * gain. */
    private SDVariable addNoise(SDVariable y, String layer, int res, Noise noise, double gain) {
        return switch (noise) {
            case NONE -> y;
            case CONST -> y.add(weights.constNoise(layer, res, gain));
            // the public input is NCHW [N, 1, r, r]; with one channel that is a reshape away from NHWC
            case INPUT -> y.add(sd.placeHolder(noiseInput(layer), dtype, -1, 1, res, res)
                    .reshape(-1, res, res, 1).mul(weights.scaled(Names.noiseStrength(layer), gain)));
        };
    }

    /** Placeholder name of a layer's noise input in {@link Noise#INPUT} mode. */
    public static String noiseInput(String layer) {
        return "noise/" + layer;
    }

    /** x [N, H, W, C] times a per-sample, per-channel factor f [N, C]. */
    SDVariable scaleChannels(SDVariable x, SDVariable f, int res, long channels) {
        return x.mul(f.reshape(-1, 1, 1, channels));
    }

    private boolean fused(int res) {
        return singleSample && FusedModConv.fuses(res);
    }

    boolean trainable() {
        return weights.trainable();
    }
}
