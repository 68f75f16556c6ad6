package io.ukiyoe.graphs.nn;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Map;
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

    public DiscriminatorGraph(SameDiff sd, StyleGanModel model, boolean trainable) {
        this(sd, model, trainable, org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    /** @param dtype FLOAT normally; DOUBLE for numerically delicate work (finite differences) */
    public DiscriminatorGraph(SameDiff sd, StyleGanModel model, boolean trainable,
                              org.nd4j.linalg.api.buffer.DataType dtype) {
        if (!model.hasDiscriminator()) {
            throw new IllegalArgumentException("the model has no discriminator");
        }
        this.sd = sd;
        this.model = model;
        this.c = model.config();
        this.params = new GraphParams(sd, model, trainable, dtype);
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
        int top = c.resolution();
        Double clamp = c.convClamp();
        SDVariable x = img.permute(0, 2, 3, 1);
        x = Ops.lrelu(sd, biasNhwc(convNhwc(x, Names.disc(top, "fromrgb/weight"), 3, 1, 1, 0),
                Names.disc(top, "fromrgb/bias")), 1, clamp);
        for (int res = top; res >= 8; res /= 2) {
            x = block(x, res, clamp);
        }
        return epilogue(x.permute(0, 3, 1, 2), group, clamp);
    }

    /** One resnet block on NHWC activations: res -> res / 2. */
    private SDVariable block(SDVariable x, int res, Double clamp) {
        int ch = c.channels(res);
        double half = Math.sqrt(0.5);
        SDVariable skip = Ops.blurNhwc(sd, x, ch, 1, 1, 1);
        skip = convNhwc(skip, Names.disc(res, "skip/weight"), ch, 1, 2, 0).mul(half);
        SDVariable y = Ops.lrelu(sd, biasNhwc(convNhwc(x, Names.disc(res, "conv0/weight"), ch, 3, 1, 1),
                Names.disc(res, "conv0/bias")), 1, clamp);
        y = Ops.blurNhwc(sd, y, ch, 2, 2, 1);
        y = Ops.lrelu(sd, biasNhwc(convNhwc(y, Names.disc(res, "conv1/weight"), ch, 3, 2, 0),
                Names.disc(res, "conv1/bias")), half, clamp);
        return skip.add(y);
    }

    /** Equalised conv on NHWC activations. */
    private SDVariable convNhwc(SDVariable x, String weight, int cin, int k, int stride, int pad) {
        return Ops.convNhwc(sd, x, param(weight).mul(1 / Math.sqrt((double) cin * k * k)).permute(2, 3, 1, 0), k,
                stride, pad);
    }

    private SDVariable biasNhwc(SDVariable x, String bias) {
        return x.add(param(bias));
    }

    private SDVariable epilogue(SDVariable x, int group, Double clamp) {
        int ch = c.channels(4);
        int f = c.mbstdChannels();
        SDVariable y = x.reshape(group, -1, f, ch / f, 4, 4);
        SDVariable centred = y.sub(y.mean(true, 0));
        SDVariable std = sd.math().sqrt(sd.math().square(centred).mean(false, 0).add(1e-8)); // [M, F, C/F, 4, 4]
        SDVariable stat = std.mean(false, 2, 3, 4).reshape(-1, f, 1, 1);                    // [M, F, 1, 1]
        stat = sd.tile(stat, group, 1, 4, 4);                                               // [N, F, 4, 4]
        x = sd.concat(1, x, stat);
        x = Ops.lrelu(sd, bias(conv(x, Names.disc(4, "conv/weight"), ch + f, 3, 1, 1), Names.disc(4, "conv/bias"), ch),
                1, clamp);
        x = x.reshape(-1, ch * 16L);
        x = Ops.lrelu(sd, dense(x, Names.disc(4, "fc"), ch * 16L), 1, null);
        return dense(x, Names.disc(4, "out"), ch);
    }

    /** Equalised conv: weight / sqrt(fan_in) at run time. */
    private SDVariable conv(SDVariable x, String weight, int cin, int k, int stride, int pad) {
        return Ops.conv(sd, x, param(weight).mul(1 / Math.sqrt((double) cin * k * k)), k, stride, pad);
    }

    private SDVariable bias(SDVariable x, String bias, long channels) {
        return Ops.addChannelBias(x, param(bias), channels, 1);
    }

    private SDVariable dense(SDVariable x, String layer, long in) {
        return x.mmul(param(layer + "/weight").permute(1, 0)).mul(1 / Math.sqrt(in)).add(param(layer + "/bias"));
    }
}
