package io.ukiyoe.graphs.nn;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The StyleGAN2 'resnet' discriminator in SameDiff: fromrgb, then per resolution conv0, a
 * downsampling conv1 (FIR, then 3x3 stride 2) and a 1x1 skip, summed with gain sqrt(1/2); then
 * minibatch stddev, conv, fc and the logit.
 */
public final class DiscriminatorGraph {
    private final SameDiff sd;
    private final StyleGanModel model;
    private final StyleGanConfig c;
    private final GraphParams params;
    private final boolean trainable;

    public DiscriminatorGraph(SameDiff sd, StyleGanModel model, boolean trainable) {
        if (!model.hasDiscriminator()) {
            throw new IllegalArgumentException("the model has no discriminator");
        }
        this.sd = sd;
        this.model = model;
        this.c = model.config();
        this.trainable = trainable;
        this.params = new GraphParams(sd, model, trainable, org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    /** Parameters enter as prepared views: see {@link GeneratorGraph#preparedWeights()}. */
    public DiscriminatorGraph preparedWeights() {
        params.prepare();
        return this;
    }

    /** The prepared views of this graph's parameters (after {@link #preparedWeights()} and building). */
    public PreparedWeights weights() {
        return params.weights();
    }

    public SDVariable param(String name) {
        return params.get(name);
    }

    public Map<String, SDVariable> params() {
        return params.all();
    }

    /**
     * images [N, 3, R, R] -> logits [N, 1]; {@code group} is the minibatch-stddev group (divides N). The
     * blocks run in NHWC (oneDNN's faster layout on this backend, as in the generator); the 4x4 epilogue
     * runs in NCHW so that its flatten order is torch's.
     */
    public SDVariable logits(SDVariable img, int group) {
        return forward(img, group, new java.util.HashMap<>());
    }

    /**
     * D(a) and D(b), [N, 1] each, for two batches of N: fromrgb and the blocks (per-sample work) run
     * once on both, the epilogue on each batch alone, so the minibatch stddev groups are those of two
     * separate calls. Half the ops of two calls, with twice the batch per conv.
     */
    public SDVariable[] logitsPair(SDVariable a, SDVariable b, int group, long n) {
        Double clamp = c.convClamp();
        SDVariable both = features(sd.concat(0, a, b), clamp, new java.util.HashMap<>()).permute(0, 3, 1, 2);
        return new SDVariable[] {
            epilogue(both.get(SDIndex.interval(0L, n)), group, clamp, new java.util.HashMap<>()),
            epilogue(both.get(SDIndex.interval(n, 2 * n)), group, clamp, new java.util.HashMap<>())};
    }

    /** The forward pass; {@code pre} receives each leaky ReLU's input, by site name, for the input gradient. */
    private SDVariable forward(SDVariable img, int group, Map<String, SDVariable> pre) {
        return epilogue(features(img, c.convClamp(), pre).permute(0, 3, 1, 2), group, c.convClamp(), pre);
    }

    /** images [N, 3, R, R] -> the last block's output [N, 4, 4, C] (NHWC): fromrgb and the blocks. */
    private SDVariable features(SDVariable img, Double clamp, Map<String, SDVariable> pre) {
        int top = c.resolution();
        SDVariable x = img.permute(0, 2, 3, 1);
        x = act(biasNhwc(convNhwc(x, Names.disc(top, "fromrgb/weight"), 3, 1, 1, 0),
                Names.disc(top, "fromrgb/bias")), 1, clamp, "fromrgb", pre);
        for (int res = top; res >= 8; res /= 2) {
            x = block(x, res, clamp, pre);
        }
        return x;
    }

    private SDVariable act(SDVariable z, double gain, Double clamp, String site, Map<String, SDVariable> pre) {
        pre.put(site, z);
        return Ops.lrelu(sd, z, gain, clamp);
    }

    /** One resnet block on NHWC activations: res -> res / 2. */
    private SDVariable block(SDVariable x, int res, Double clamp, Map<String, SDVariable> pre) {
        int ch = c.channels(res);
        double half = Math.sqrt(0.5);
        SDVariable skip = blurThenConvDown(x, Names.disc(res, "skip/weight"), ch, 1, 1, half);  // gain on the weight
        SDVariable y = act(biasNhwc(convNhwc(x, Names.disc(res, "conv0/weight"), ch, 3, 1, 1),
                Names.disc(res, "conv0/bias")), 1, clamp, res + "/conv0", pre);
        y = act(biasNhwc(blurThenConvDown(y, Names.disc(res, "conv1/weight"), ch, 3, 2, 1),
                Names.disc(res, "conv1/bias")), half, clamp, res + "/conv1", pre);
        return skip.add(y);
    }

    /**
     * The FIR with padding {@code pad}, then the equalised k x k conv with stride 2, times {@code gain}
     * (on the weight). Trainable graphs
     * fold the FIR into the conv's kernel ((k+3) x (k+3), {@link Ops#firConvKernel}): libnd4j's
     * depthwise-conv gradient, which the separate blur needs, builds a column buffer 16x the
     * activations and was the largest op of a training step (150-400 ms at 64 px, batch 8).
     */
    private SDVariable blurThenConvDown(SDVariable x, String weight, int cin, int k, int pad, double gain) {
        if (!trainable) {
            return convNhwc(Ops.blurNhwc(sd, x, cin, pad, pad, 1), weight, cin, k, 2, 0, gain);
        }
        return Ops.convNhwc(sd, x, params.firConv(weight, gain / Math.sqrt((double) cin * k * k), k), k + 3, 2, pad);
    }

    /**
     * grad_img sum(logits) [N, 3, R, R] as an explicit graph of forward ops (transposed convolutions,
     * mirrored blurs, leaky-ReLU slopes from sign(), the minibatch-stddev derivative), so that SameDiff can
     * differentiate it w.r.t. D's parameters: the exact R1 gradient, which SameDiff's own gradient of a
     * gradient cannot give. The slopes' sign() has a zero derivative, as the true derivative is almost
     * everywhere.
     */
    public SDVariable inputGradient(SDVariable img, int group) {
        if (params.prepared()) {     // it uses weights in more layouts and scales than the forward pass
            throw new IllegalStateException("the input-gradient graph takes D's parameters as they are, not prepared");
        }
        Map<String, SDVariable> pre = new java.util.HashMap<>();
        Map<String, SDVariable> epi = new java.util.HashMap<>();
        forward(img, group, pre);
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
        SDVariable s = sd.math().sign(z).mul(0.4).add(0.6).mul(Ops.SQRT2 * gain);
        if (clamp == null) {
            return s;
        }
        SDVariable out = sd.nn().leakyRelu(z, 0.2).mul(Ops.SQRT2 * gain);
        return s.mul(sd.math().sign(sd.math().abs(out).rsub(clamp * gain)).mul(0.5).add(0.5));
    }

    /** The equalised weight of a dense layer, [out, in] scaled by 1 / sqrt(in). */
    private SDVariable scaled(String weight, long in) {
        return params.scaled(weight, 1 / Math.sqrt(in));
    }

    /** Adjoint of {@link #convNhwc}: the transposed convolution with the same (scaled) weight. */
    private SDVariable deconvNhwc(SDVariable g, String weight, int cin, int k, int stride, int pad) {
        return Ops.convAdjointNhwc(sd, g, params.hwio(weight, 1 / Math.sqrt((double) cin * k * k)), k, stride, pad);
    }

    /** Equalised conv on NHWC activations. */
    private SDVariable convNhwc(SDVariable x, String weight, int cin, int k, int stride, int pad) {
        return convNhwc(x, weight, cin, k, stride, pad, 1);
    }

    /** Equalised conv on NHWC activations, times {@code gain} (on the weight). */
    private SDVariable convNhwc(SDVariable x, String weight, int cin, int k, int stride, int pad, double gain) {
        return Ops.convNhwc(sd, x, params.hwio(weight, gain / Math.sqrt((double) cin * k * k)), k, stride, pad);
    }

    private SDVariable biasNhwc(SDVariable x, String bias) {
        return x.add(param(bias));
    }

    private SDVariable epilogue(SDVariable x, int group, Double clamp, Map<String, SDVariable> pre) {
        int ch = c.channels(4);
        int f = c.mbstdChannels();
        pre.put("mbstd_x", x);
        SDVariable y = x.reshape(group, -1, f, ch / f, 4, 4);
        SDVariable centred = y.sub(y.mean(true, 0));
        SDVariable std = sd.math().sqrt(sd.math().square(centred).mean(false, 0).add(1e-8)); // [M, F, C/F, 4, 4]
        SDVariable stat = std.mean(false, 2, 3, 4).reshape(-1, f, 1, 1);                    // [M, F, 1, 1]
        stat = sd.tile(stat, group, 1, 4, 4);                                               // [N, F, 4, 4]
        x = sd.concat(1, x, stat);
        x = act(bias(conv(x, Names.disc(4, "conv/weight"), ch + f, 3, 1, 1), Names.disc(4, "conv/bias"), ch),
                1, clamp, "conv", pre);
        x = x.reshape(-1, ch * 16L);
        x = act(dense(x, Names.disc(4, "fc"), ch * 16L), 1, null, "fc", pre);
        return dense(x, Names.disc(4, "out"), ch);
    }

    /** Equalised conv: weight / sqrt(fan_in) at run time. */
    private SDVariable conv(SDVariable x, String weight, int cin, int k, int stride, int pad) {
        return Ops.convPrepared(sd, x, params.hwio(weight, 1 / Math.sqrt((double) cin * k * k)), k, stride, pad);
    }

    private SDVariable bias(SDVariable x, String bias, long channels) {
        return Ops.addChannelBias(x, param(bias), channels, 1);
    }

    private SDVariable dense(SDVariable x, String layer, long in) {
        return params.dense(x, layer + "/weight", 1 / Math.sqrt(in)).add(param(layer + "/bias"));
    }
}
