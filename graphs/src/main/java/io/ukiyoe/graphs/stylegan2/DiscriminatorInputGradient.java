package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * D's input gradient grad_img sum(logits) [N, 3, R, R] as an explicit graph of forward ops (transposed
 * convolutions, mirrored blurs, leaky-ReLU slopes from sign(), the minibatch-stddev derivative), so that
 * SameDiff can differentiate it w.r.t. D's parameters: the exact R1 gradient, which SameDiff's own
 * gradient of a gradient cannot give. The slopes' sign() has a zero derivative, as the true derivative
 * is almost everywhere.
 */
final class DiscriminatorInputGradient {
    private final SameDiff sd;
    private final StyleGanConfig c;
    private final Weights weights;

    private DiscriminatorInputGradient(DiscriminatorGraph d) {
        this.sd = d.sameDiff();
        this.c = d.config();
        this.weights = d.parameters();
    }

    static SDVariable build(DiscriminatorGraph d, SDVariable img, int group) {
        if (d.parameters().form() != Weights.Form.TRAINABLE) {
            // it uses weights in more layouts and scales than the forward pass
            throw new IllegalStateException("the input-gradient graph takes D's parameters as trainable variables");
        }
        Map<String, SDVariable> pre = new HashMap<>();
        d.forward(img, group, pre);
        return new DiscriminatorInputGradient(d).backward(pre, group);
    }

    private SDVariable backward(Map<String, SDVariable> pre, int group) {
        int top = c.resolution();
        Double clamp = c.convClamp();
        int ch = c.channels(4);
        int f = c.mbstdChannels();
        // ---- epilogue, backwards (NCHW)
        // d sum(logits) / d fc-activations: the output weight row, broadcast over the batch [N, ch]
        SDVariable g = pre.get("fc").mul(0).add(scaled(Names.disc(4, "out/weight"), ch));
        g = g.mul(slope(pre.get("fc"), 1, null));
        g = g.mmul(scaled(Names.disc(4, "fc/weight"), ch * 16L)).reshape(-1, ch, 4, 4);
        g = g.mul(slope(pre.get("conv"), 1, clamp));
        SDVariable gCat = deconvNhwc(g.permute(0, 2, 3, 1), Names.disc(4, "conv/weight"), ch + f, 3, 1, 1)
                .permute(0, 3, 1, 2);                                                // [N, ch + f, 4, 4]
        SDVariable x4 = pre.get("mbstd_x");
        SDVariable gx = gCat.get(SDIndex.all(), SDIndex.interval(0, ch));
        SDVariable gStat = gCat.get(SDIndex.all(), SDIndex.interval(ch, ch + f));         // [N, f, 4, 4]
        // minibatch stddev: stat[m, f] = mean over (C/F, 4, 4) of std over the group; d std / d y = c / (G std)
        SDVariable y = x4.reshape(group, -1, f, ch / f, 4, 4);
        SDVariable centred = y.sub(y.mean(true, 0));
        SDVariable std = sd.math().sqrt(sd.math().square(centred).mean(true, 0).add(1e-8)); // [1, M, F, C/F, 4, 4]
        SDVariable gStd = gStat.sum(2, 3).reshape(group, -1, f).sum(true, 0)
                .reshape(1, -1, f, 1, 1, 1).div((double) (ch / f) * 16);
        SDVariable gY = gStd.mul(centred).div(std.mul(group));
        g = gx.add(gY.reshape(-1, ch, 4, 4)).permute(0, 2, 3, 1);                    // NHWC
        // ---- blocks, backwards (NHWC)
        double half = Math.sqrt(0.5);
        for (int res = 8; res <= top; res *= 2) {
            int cr = c.channels(res);
            SDVariable gSkip = deconvNhwc(g.mul(half), Names.disc(res, "skip/weight"), cr, 1, 2, 0);
            gSkip = Ops.blurNhwc(sd, gSkip, cr, 2, 2, 1);
            SDVariable gm = g.mul(slope(pre.get(res + "/conv1"), half, clamp));
            gm = deconvNhwc(gm, Names.disc(res, "conv1/weight"), cr, 3, 2, 0);
            gm = Ops.blurNhwc(sd, gm, cr, 1, 1, 1);
            gm = gm.mul(slope(pre.get(res + "/conv0"), 1, clamp));
            gm = deconvNhwc(gm, Names.disc(res, "conv0/weight"), cr, 3, 1, 1);
            g = gSkip.add(gm);
        }
        g = g.mul(slope(pre.get("fromrgb"), 1, clamp));
        g = deconvNhwc(g, Names.disc(top, "fromrgb/weight"), 3, 1, 1, 0);
        return g.permute(0, 3, 1, 2);
    }

    /** d/dz of clip(lrelu(z) * sqrt(2) * gain, +-clamp * gain). */
    private SDVariable slope(SDVariable z, double gain, Double clamp) {
        SDVariable s = Layers.leakyReluSlope(sd, z, 0.2, Ops.SQRT2 * gain);
        if (clamp == null) {
            return s;
        }
        SDVariable out = z.mul(s);                                            // the activation, before the clamp
        return s.mul(sd.math().sign(sd.math().abs(out).rsub(clamp * gain)).mul(0.5).add(0.5));
    }

    /** The equalised weight of a dense layer, [out, in] scaled by 1 / sqrt(in). */
    private SDVariable scaled(String weight, long in) {
        return weights.scaled(weight, 1 / Math.sqrt(in));
    }

    /** Adjoint of the equalised conv: the transposed convolution with the same (scaled) weight. */
    private SDVariable deconvNhwc(SDVariable g, String weight, int cin, int k, int stride, int pad) {
        return Ops.convAdjointNhwc(sd, g, weights.hwio(weight, 1 / Math.sqrt((double) cin * k * k)), k, stride, pad);
    }
}
