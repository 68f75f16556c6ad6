package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.stylegan2.fast.Polyphase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * G's latent gradient J = grad_ws sum(synthesis(ws) * y) [N, num_ws, w_dim] for an upstream image y,
 * as an explicit graph of forward ops, so that SameDiff can differentiate J w.r.t. G's parameters
 * (and, through ws, the mapping network): the exact path-length gradient, which SameDiff's gradient
 * of a gradient cannot give. It is the synthesis network run backwards from the image:
 * the skip image's FIR up-sampling by its adjoint (the same polyphase kernel, transposed), each
 * toRGB and modulated conv by the transposed conv with its own kernel, the leaky-ReLU slopes from
 * sign() (zero derivative, as the true second derivative is almost everywhere), and each layer's
 * style receiving both its input-scaling and its demodulation terms, carried to w by the affine
 * layer's adjoint. Noise and biases are additive and drop out. The forward pass records what the
 * backward pass reads on a {@link Tape}.
 */
public final class GeneratorInputGradient {
    /** A modulated conv's forward values: input x, style s, kernel, squares [Cin, Cout], demod d, conv output, pre-activation. */
    record ConvSite(String layer, int idx, int res, boolean up, int cin, int cout, SDVariable x, SDVariable s,
                    SDVariable kernel, SDVariable squares, SDVariable d, SDVariable conv, SDVariable pre) {}

    /** A toRGB layer's forward values: input x, style s, kernel [1, 1, Cin, 3], output before the clamp. */
    record RgbSite(String layer, int idx, int res, int cin, SDVariable x, SDVariable s, SDVariable kernel,
                   SDVariable out) {}

    /** What {@link GeneratorGraph#synthesis} records for the backward pass. */
    static final class Tape {
        private final Map<String, ConvSite> convs = new HashMap<>();
        private final Map<Integer, RgbSite> rgbs = new HashMap<>();

        void conv(ConvSite site) {
            convs.put(site.layer(), site);
        }

        void rgb(RgbSite site) {
            rgbs.put(site.res(), site);
        }
    }

    /** The synthesized image [N, 3, R, R] and J [N, num_ws, w_dim]. */
    public record Result(SDVariable image, SDVariable wsGradient) {}

    private final GeneratorGraph g;
    private final SameDiff sd;
    private final StyleGanConfig c;
    private final Map<Integer, List<SDVariable>> perLayer = new HashMap<>();

    private GeneratorInputGradient(GeneratorGraph g) {
        this.g = g;
        this.sd = g.sameDiff();
        this.c = g.config();
    }

    /**
     * Builds synthesis(ws) in {@code g} and J = grad_ws sum(synthesis(ws) * upstream) beside it.
     *
     * @param upstream [N, 3, R, R], e.g. the path-length noise
     */
    public static Result build(GeneratorGraph g, SDVariable ws, GeneratorGraph.Noise noise, SDVariable upstream) {
        if (!g.trainable()) {
            throw new IllegalStateException("the latent-gradient graph is for trainable generator graphs");
        }
        Tape tape = new Tape();
        SDVariable img = g.synthesis(ws, noise, tape);
        return new Result(img, new GeneratorInputGradient(g).backward(tape, upstream));
    }

    private SDVariable backward(Tape tape, SDVariable upstream) {
        SDVariable gImg = upstream.permute(0, 2, 3, 1);                         // NHWC [N, R, R, 3]
        SDVariable gx = null;                                                    // d/d the blocks' output
        for (int res = c.resolution(); res >= 4; res /= 2) {
            SDVariable fromRgb = rgbBackward(tape.rgbs.get(res), gImg);
            gx = gx == null ? fromRgb : gx.add(fromRgb);
            gx = convBackward(tape.convs.get(Names.layer(res, "conv1")), gx, res > 4);
            if (res > 4) {
                gx = convBackward(tape.convs.get(Names.layer(res, "conv0")), gx, true);
                gImg = Polyphase.upsample2dAdjointNhwc(sd, gImg, 3, res / 2);
            }
        }
        SDVariable[] layers = new SDVariable[c.numWs()];
        for (int i = 0; i < layers.length; i++) {
            List<SDVariable> parts = perLayer.get(i);
            if (parts == null) {
                throw new IllegalStateException("no layer reads w[" + i + "]");
            }
            SDVariable sum = parts.get(0);
            for (int j = 1; j < parts.size(); j++) {
                sum = sum.add(parts.get(j));
            }
            layers[i] = sum;
        }
        return sd.stack(1, layers);                                              // [N, num_ws, w_dim]
    }

    /** toRGB backwards: the gradient w.r.t. its input map; its style's part of J is recorded. */
    private SDVariable rgbBackward(RgbSite site, SDVariable gImg) {
        SDVariable gy = c.convClamp() == null ? gImg : gImg.mul(insideClamp(site.out()));
        SDVariable gxs = Ops.convAdjointNhwc(sd, gy, site.kernel(), 1, 1, 0);         // [N, H, W, Cin]
        addStyleGradient(site.idx(), g.styleAdjoint(gxs.mul(site.x()).sum(1, 2), site.layer(),
                1 / Math.sqrt(site.cin())));
        return g.scaleChannels(gxs, site.s(), site.res(), site.cin());
    }

    /**
     * A modulated conv backwards from the gradient of its output: through the leaky ReLU, the
     * demodulation (whose gradient gives the style's second term), the conv and the style scaling.
     * Its style's part of J is recorded; returns the input's gradient when {@code needInput}.
     */
    private SDVariable convBackward(ConvSite site, SDVariable gOut, boolean needInput) {
        SDVariable gz = gOut.mul(slope(site.pre()));
        SDVariable gd = gz.mul(site.conv()).sum(1, 2);                                 // [N, Cout]
        SDVariable gConv = g.scaleChannels(gz, site.d(), site.res(), site.cout());
        int inRes = site.up() ? site.res() / 2 : site.res();
        SDVariable gxs = site.up()
                ? Polyphase.upConvFoldedAdjointNhwc(sd, gConv, site.kernel(), inRes, site.cout())
                : Ops.convAdjointNhwc(sd, gConv, site.kernel(), 3, 1, 1);             // [N, H, W, Cin]
        // d = sqrt(2) (sum_i s_i^2 W2[i, o] + eps)^(-1/2), so dd / d(sum) = -d^3 / 4
        SDVariable gSum = gd.mul(sd.math().pow(site.d(), 3)).mul(-0.25);              // [N, Cout]
        SDVariable fromDemod = site.s().mul(2).mul(sd.linalg().mmul(gSum, site.squares(), false, true, false));
        SDVariable gs = gxs.mul(site.x()).sum(1, 2).add(fromDemod);                    // [N, Cin]
        addStyleGradient(site.idx(), g.styleAdjoint(gs, site.layer(), 1));
        return needInput ? g.scaleChannels(gxs, site.s(), inRes, site.cin()) : null;
    }

    private void addStyleGradient(int idx, SDVariable part) {
        perLayer.computeIfAbsent(idx, k -> new ArrayList<>()).add(part);
    }

    /** d/dz of clip(lrelu(z, 0.2), +-clamp) (the sqrt(2) gain is already inside z). */
    private SDVariable slope(SDVariable z) {
        SDVariable s = Layers.leakyReluSlope(sd, z, 0.2, 1);
        return c.convClamp() == null ? s : s.mul(insideClamp(z.mul(s)));
    }

    /** 1 where |v| < clamp (the clamp passes the gradient), 0 where it clips. */
    private SDVariable insideClamp(SDVariable v) {
        return sd.math().sign(sd.math().abs(v).rsub(c.convClamp())).mul(0.5).add(0.5);
    }
}
