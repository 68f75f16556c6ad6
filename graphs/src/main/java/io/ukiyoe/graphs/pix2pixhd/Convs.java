package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.TorchWeights;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one seam between the pix2pixHD graphs and how their layers run. The model code names torch
 * layers (NCHW semantics); this class decides how a graph computes them.
 *
 * <ul>
 *   <li>Trainable graphs use {@link Layers} as they are (the torch weight permuted in the graph, so its
 *       gradient is the torch tensor's; reflect padding from slices, whose gradient is right).</li>
 *   <li>Inference graphs take each conv weight laid out as SameDiff's [kh, kw, I, O] once, when the graph
 *       is built: no permute and no copy of every weight on every pass (at 512 px the global generator's
 *       730 MB).</li>
 *   <li>Inference graphs marked {@link #useChannelsLast channels-last} also keep their activations NHWC
 *       between the input and the output: oneDNN's convolutions here work in NHWC, so NCHW activations
 *       were reordered to NHWC before and back after every conv (half of oneDNN's time in a 512 px
 *       pass). Their reflect padding is one {@code pad} op (its forward pass is exact; only its gradient
 *       is wrong on M2.1).</li>
 * </ul>
 */
final class Convs {
    /** The graphs marked channels-last, by identity (a SameDiff's hashCode changes as ops are added). */
    private static final List<WeakReference<SameDiff>> CHANNELS_LAST = new ArrayList<>();

    private Convs() {}

    /** Marks an inference graph, before its layers are added, as computing in NHWC (its callers permute in and out). */
    static void useChannelsLast(SameDiff sd) {
        synchronized (CHANNELS_LAST) {
            CHANNELS_LAST.removeIf(r -> r.get() == null);
            CHANNELS_LAST.add(new WeakReference<>(sd));
        }
    }

    static boolean channelsLast(SameDiff sd) {
        synchronized (CHANNELS_LAST) {
            return CHANNELS_LAST.stream().anyMatch(r -> r.get() == sd);
        }
    }

    /** The channel axis of the graph's activations. */
    static int channelAxis(SameDiff sd) {
        return channelsLast(sd) ? 3 : 1;
    }

    /** torch {@code conv2d} (zero padding {@code pad}) with the weight and bias under {@code prefix}. */
    static SDVariable conv2d(SameDiff sd, SDVariable x, TorchWeights w, String prefix, int stride, int pad) {
        SDVariable bias = w.optional(prefix + "bias");
        if (!w.constants()) {
            return Layers.conv2d(sd, x, w.get(prefix + "weight"), bias, stride, pad);
        }
        SDVariable hwio = w.constantLayout(prefix + "weight", "hwio", a -> a.permute(2, 3, 1, 0).dup('c'));
        long[] s = hwio.getShape();
        Conv2DConfig cfg = Conv2DConfig.builder().kH(s[0]).kW(s[1]).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat(channelsLast(sd) ? "NHWC" : "NCHW").build();
        return bias == null ? sd.cnn().conv2d(x, hwio, cfg) : sd.cnn().conv2d(x, hwio, bias, cfg);
    }

    /**
     * torch {@code conv_transpose2d} (weight [I, O, kh, kw], {@code padding}, {@code output_padding})
     * with the weight and bias under {@code prefix}.
     */
    static SDVariable convTranspose2d(SameDiff sd, SDVariable x, TorchWeights w, String prefix, int stride, int padding,
                                      int outputPadding) {
        SDVariable bias = w.optional(prefix + "bias");
        int end = padding - outputPadding;
        if (!channelsLast(sd) || end < 0) {
            return Layers.convTranspose2d(sd, x, w.get(prefix + "weight"), bias, stride, padding, outputPadding);
        }
        SDVariable hwoi = w.constantLayout(prefix + "weight", "hwoi", a -> a.permute(2, 3, 1, 0).dup('c'));
        long[] s = hwoi.getShape();
        DeConv2DConfig cfg = DeConv2DConfig.builder().kH(s[0]).kW(s[1]).sH(stride).sW(stride).pH(0).pW(0)
                .isSameMode(false).dataFormat("NHWC").build();
        SDVariable y = sd.cnn().deconv2d(x, hwoi, cfg);                   // (H - 1) * s + k
        int endMask = 0b1001 | (end == 0 ? 0b0110 : 0);
        y = sd.stridedSlice(y, new long[] {0, padding, padding, 0}, new long[] {0, -end, -end, 0},
                new long[] {1, 1, 1, 1}, 0b1001, endMask, 0, 0, 0);
        return bias == null ? y : y.add(bias);
    }

    /** torch {@code ReflectionPad2d(pad)}. */
    static SDVariable reflectPad(SameDiff sd, SDVariable x, int pad) {
        if (!channelsLast(sd)) {
            return Layers.reflectPad(sd, x, pad);
        }
        return sd.nn().pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}})),
                PadMode.REFLECT, 0.0);
    }

    /** torch {@code InstanceNorm2d} without affine (biased variance, {@code eps}). */
    static SDVariable instanceNorm(SameDiff sd, SDVariable x, double eps) {
        if (!channelsLast(sd)) {
            return Layers.instanceNorm(sd, x, eps);
        }
        SDVariable mean = x.mean(true, 1, 2);
        SDVariable centred = x.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 1, 2);
        return centred.mul(sd.math().rsqrt(var.add(eps)));
    }
}
