package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The StyleGAN2 'resnet' discriminator in SameDiff, as in stylegan2-ada's networks.py: fromrgb, then
 * per resolution conv0, a downsampling conv1 (FIR, then 3x3 stride 2) and a 1x1 downsampling skip,
 * summed with gain sqrt(1/2); then the epilogue: minibatch stddev, conv, fc and the logit. The blocks
 * run in NHWC (oneDNN's faster layout here, as in the generator); the 4x4 epilogue runs in NCHW so that
 * its flatten order is torch's. Parameters enter in the caller's {@link Weights} form; the activations'
 * shapes at block boundaries are declared in {@link #shapes()}, checked on a graph's first pass.
 */
public final class DiscriminatorGraph extends StyleGanGraph {
    /** @param trainable true: {@link Weights.Form#TRAINABLE}; false: {@link Weights.Form#CONSTANT} */
    public DiscriminatorGraph(SameDiff sd, StyleGanModel model, boolean trainable) {
        this(sd, model, trainable ? Weights.Form.TRAINABLE : Weights.Form.CONSTANT);
    }

    public DiscriminatorGraph(SameDiff sd, StyleGanModel model, Weights.Form form) {
        super(sd, requireDiscriminator(model), form, DataType.FLOAT);
    }

    private static StyleGanModel requireDiscriminator(StyleGanModel model) {
        if (!model.hasDiscriminator()) {
            throw new IllegalArgumentException("the model has no discriminator");
        }
        return model;
    }

    /** images [N, 3, R, R] -> logits [N, 1]; {@code group} is the minibatch-stddev group (divides N). */
    public SDVariable logits(SDVariable img, int group) {
        return forward(img, group, new HashMap<>());
    }

    /**
     * D(a) and D(b), [N, 1] each, for two batches of N: fromrgb and the blocks (per-sample work) run
     * once on both, the epilogue on each batch alone, so the minibatch stddev groups are those of two
     * separate calls. Half the ops of two calls, with twice the batch per conv.
     */
    public SDVariable[] logitsPair(SDVariable a, SDVariable b, int group, long n) {
        SDVariable both = features(sd.concat(0, a, b), new HashMap<>()).permute(0, 3, 1, 2);
        return new SDVariable[] {
            epilogue(both.get(SDIndex.interval(0L, n)), group, new HashMap<>()),
            epilogue(both.get(SDIndex.interval(n, 2 * n)), group, new HashMap<>())};
    }

    /** grad_img sum(logits) as a graph that SameDiff can differentiate: see {@link DiscriminatorInputGradient}. */
    public SDVariable inputGradient(SDVariable img, int group) {
        return DiscriminatorInputGradient.build(this, img, group);
    }

    /** The forward pass; {@code pre} receives each leaky ReLU's input, by site name, for the input gradient. */
    SDVariable forward(SDVariable img, int group, Map<String, SDVariable> pre) {
        return epilogue(features(img, pre).permute(0, 3, 1, 2), group, pre);
    }

    /** images [N, 3, R, R] -> the last block's output [N, 4, 4, C] (NHWC): fromrgb and the blocks. */
    private SDVariable features(SDVariable img, Map<String, SDVariable> pre) {
        int top = c.resolution();
        SDVariable x = img.permute(0, 2, 3, 1);
        SDVariable w = weights.hwio(Names.disc(top, "fromrgb/weight"), 1 / Math.sqrt(3));
        SDVariable b = param(Names.disc(top, "fromrgb/bias"));
        // trained, a matrix product (cheap gradient); for inference oneDNN's conv (the product's reshapes copy the map)
        x = weights.trainable() ? Ops.pointwiseNhwc(x, w, top, 3, c.channels(top)).add(b) : Ops.convNhwc(sd, x, w, b, 1, 1, 0);
        x = act(x, 1, c.convClamp(), "fromrgb", pre);
        shapes.expect(x, "fromrgb", BlockShapes.BATCH, top, top, c.channels(top));
        for (int res = top; res >= 8; res /= 2) {
            x = shapes.expect(block(x, res, pre), "b" + res, BlockShapes.BATCH, res / 2, res / 2, c.channels(res / 2));
        }
        return x;
    }

    /** One resnet block on NHWC activations: [N, res, res, C(res)] -> [N, res/2, res/2, C(res/2)]. */
    private SDVariable block(SDVariable x, int res, Map<String, SDVariable> pre) {
        int ch = c.channels(res);
        double half = Math.sqrt(0.5);
        Double clamp = c.convClamp();
        SDVariable skip = downConv(x, Names.disc(res, "skip/weight"), null, ch, 1, 1, half, res, c.channels(res / 2)); // gain on the weight
        SDVariable y = act(conv(x, Names.disc(res, "conv0/weight"), param(Names.disc(res, "conv0/bias")), ch, 3, 1, 1),
                1, clamp, res + "/conv0", pre);
        y = act(downConv(y, Names.disc(res, "conv1/weight"), param(Names.disc(res, "conv1/bias")), ch, 3, 2, 1, res,
                c.channels(res / 2)), half, clamp, res + "/conv1", pre);
        return skip.add(y);
    }

    /** minibatch stddev, 3x3 conv, fc, out on the last block's output x [N, C4, 4, 4] (NCHW) -> logits [N, 1]. */
    private SDVariable epilogue(SDVariable x, int group, Map<String, SDVariable> pre) {
        int ch = c.channels(4);
        int f = c.mbstdChannels();
        pre.put("mbstd_x", x);
        x = sd.concat(1, x, minibatchStddev(x, group, ch, f));
        SDVariable w = weights.hwio(Names.disc(4, "conv/weight"), 1 / Math.sqrt((ch + f) * 9.0));
        x = Ops.convPrepared(sd, x, w, 3, 1, 1);
        x = act(Ops.addChannelBias(x, param(Names.disc(4, "conv/bias")), ch, 1), 1, c.convClamp(), "conv", pre);
        x = x.reshape(-1, ch * 16L);
        x = act(dense(x, Names.disc(4, "fc"), ch * 16L), 1, null, "fc", pre);
        return shapes.expect(dense(x, Names.disc(4, "out"), ch), "b4: logits", BlockShapes.BATCH, 1);
    }

    /**
     * The minibatch stddev features [N, F, 4, 4] of x [N, C, 4, 4]: per group of {@code group} samples
     * (strided over the batch, as in the references) and per one of F channel groups, the mean over
     * (C/F, 4, 4) of the stddev over the group.
     */
    private SDVariable minibatchStddev(SDVariable x, int group, int ch, int f) {
        SDVariable y = x.reshape(group, -1, f, ch / f, 4, 4);
        SDVariable centred = y.sub(y.mean(true, 0));
        SDVariable std = sd.math().sqrt(sd.math().square(centred).mean(false, 0).add(1e-8)); // [M, F, C/F, 4, 4]
        SDVariable stat = std.mean(false, 2, 3, 4).reshape(-1, f, 1, 1);                    // [M, F, 1, 1]
        return sd.tile(stat, group, 1, 4, 4);                                               // [N, F, 4, 4]
    }

    private SDVariable act(SDVariable z, double gain, Double clamp, String site, Map<String, SDVariable> pre) {
        pre.put(site, z);
        return Ops.lrelu(sd, z, gain, clamp);
    }

    /** Equalised k x k conv on NHWC activations (weight / sqrt(fan_in), at use), plus {@code bias}. */
    private SDVariable conv(SDVariable x, String weight, SDVariable bias, int cin, int k, int stride, int pad) {
        return Ops.convNhwc(sd, x, weights.hwio(weight, 1 / Math.sqrt((double) cin * k * k)), bias, k, stride, pad);
    }

    /**
     * The FIR with padding {@code pad}, then the equalised k x k conv with stride 2, times {@code gain}
     * (on the weight), plus {@code bias} (null: none) [cout]; x is [N, res, res, cin]. Trainable graphs run
     * the FIR as average pools, inference as the reference's depthwise conv (libnd4j's gradient of which
     * builds a column buffer 16x the activations).
     */
    private SDVariable downConv(SDVariable x, String weight, SDVariable bias, int cin, int k, int pad, double gain, int res,
                                int cout) {
        double scale = gain / Math.sqrt((double) cin * k * k);
        if (k == 1 && bias == null && weights.pooledBlur()) {   // a 1x1 conv commutes with the FIR: downsample first
            return Ops.pointwiseNhwc(Ops.pooledBlurNhwc(sd, x, pad, pad, 3, 2, 1), weights.hwio(weight, scale), res / 2, cin, cout);
        }
        SDVariable blurred = weights.pooledBlur() ? Ops.pooledBlurNhwc(sd, x, pad, pad, 3, 1)
                : Ops.blurNhwc(sd, x, cin, pad, pad, 1);
        return Ops.convNhwc(sd, blurred, weights.hwio(weight, scale), bias, k, 2, 0);
    }

    private SDVariable dense(SDVariable x, String layer, long in) {
        return weights.dense(x, layer + "/weight", 1 / Math.sqrt(in)).add(param(layer + "/bias"));
    }
}
