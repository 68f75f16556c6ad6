package io.ukiyoe.graphs.layers;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PyTorch layers the image-to-image and vision networks are made of (pix2pixHD, CycleGAN,
 * ESRGAN, Inception, VGG, MTCNN), as SameDiff ops with PyTorch's semantics: activations NCHW (some layers
 * also channels-last, {@link Layout}),
 * weights in PyTorch layouts ({@code [O, I, kh, kw]} for conv, {@code [I, O, kh, kw]} for transposed
 * conv, {@code [out, in]} for linear), biases {@code [C]} or null.
 *
 * <p>Where SameDiff M2.1 is broken these layers go around it: REFLECT padding has a wrong gradient
 * (built here from slices and a concat), conv weights in OIYX format fail in backprop (permuted in
 * the graph instead). StyleGAN2 has its own ops ({@code nn.Ops}): equalised learning rate,
 * modulation and FIR filters are not torch layers.
 */
public final class Layers {
    private Layers() {}

    /**
     * Where rank-4 activations keep their channels: torch's NCHW (the default of every layer here), or
     * channels-last NHWC, in which oneDNN's convolutions on large maps run up to twice as fast (a 3x3 conv
     * over [1, 128, 256, 256]: 70 against 125-129 ms here).
     */
    public enum Layout {
        NCHW(2, 3),
        NHWC(1, 2);

        /** The axes of height and width. */
        public final int h;
        public final int w;

        Layout(int h, int w) {
            this.h = h;
            this.w = w;
        }

        /** A per-channel vector [C] shaped to broadcast over these activations. */
        SDVariable channels(SDVariable v, long c) {
            return this == NCHW ? v.reshape(1, c, 1, 1) : v;
        }
    }

    // ---- convolutions ---------------------------------------------------------------------------

    /** torch {@code conv2d(x, w, b, stride, padding)} with zero padding, square stride and padding. */
    public static SDVariable conv2d(SameDiff sd, SDVariable x, SDVariable weightOIHW, SDVariable bias, int stride, int pad) {
        return conv2d(sd, x, weightOIHW, bias, stride, stride, pad, pad, 1);
    }

    /** As {@link #conv2d(SameDiff, SDVariable, SDVariable, SDVariable, int, int)} on activations in {@code layout}. */
    public static SDVariable conv2d(SameDiff sd, SDVariable x, SDVariable weightOIHW, SDVariable bias, int stride, int pad,
                                    Layout layout) {
        return conv2d(sd, x, weightOIHW, bias, stride, stride, pad, pad, 1, layout);
    }

    /** torch {@code conv2d} with per-axis stride and zero padding, and a dilation. */
    public static SDVariable conv2d(SameDiff sd, SDVariable x, SDVariable weightOIHW, SDVariable bias,
                                    int strideH, int strideW, int padH, int padW, int dilation) {
        return conv2d(sd, x, weightOIHW, bias, strideH, strideW, padH, padW, dilation, Layout.NCHW);
    }

    /**
     * torch {@code conv2d} (zero padding {@code pad}) with a weight already laid out as SameDiff's
     * [kh, kw, I, O] (an inference graph's constant, laid out once rather than permuted on every pass), on
     * activations in {@code layout}.
     */
    public static SDVariable conv2dPrepared(SameDiff sd, SDVariable x, SDVariable weightHWIO, SDVariable bias, int stride,
                                            int pad, Layout layout) {
        long[] w = shapeOf(weightHWIO, 4, "conv2d weight");
        return conv2dHwio(sd, x, weightHWIO, bias, w[0], w[1], stride, stride, pad, pad, 1, layout);
    }

    private static SDVariable conv2d(SameDiff sd, SDVariable x, SDVariable weightOIHW, SDVariable bias,
                                     int strideH, int strideW, int padH, int padW, int dilation, Layout layout) {
        long[] w = shapeOf(weightOIHW, 4, "conv2d weight");
        return conv2dHwio(sd, x, weightOIHW.permute(2, 3, 1, 0), bias, w[2], w[3], strideH, strideW, padH, padW, dilation,
                layout);
    }

    /** SameDiff's conv2d with a [kh, kw, I, O] weight, zero padding, on activations in {@code layout}. */
    private static SDVariable conv2dHwio(SameDiff sd, SDVariable x, SDVariable hwio, SDVariable bias, long kh, long kw,
                                         int strideH, int strideW, int padH, int padW, int dilation, Layout layout) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(kh).kW(kw).sH(strideH).sW(strideW).pH(padH).pW(padW)
                .dH(dilation).dW(dilation).paddingMode(PaddingMode.VALID).dataFormat(layout.name()).build();
        return bias == null ? sd.cnn().conv2d(x, hwio, cfg) : sd.cnn().conv2d(x, hwio, bias, cfg);
    }

    /**
     * torch {@code conv_transpose2d(x, w, b, stride, padding, output_padding)}: output size
     * {@code (H - 1) * stride - 2 * padding + k + output_padding}. The weight is torch's
     * {@code [I, O, kh, kw]}. Computed as a full (unpadded) transposed conv, then cropped by
     * {@code padding} at the start and {@code padding - output_padding} at the end (zero-padded where
     * that is negative).
     */
    public static SDVariable convTranspose2d(SameDiff sd, SDVariable x, SDVariable weightIOHW, SDVariable bias,
                                             int stride, int padding, int outputPadding) {
        return convTranspose2d(sd, x, weightIOHW, bias, stride, padding, outputPadding, Layout.NCHW);
    }

    /** As {@link #convTranspose2d(SameDiff, SDVariable, SDVariable, SDVariable, int, int, int)} on activations in {@code layout}. */
    public static SDVariable convTranspose2d(SameDiff sd, SDVariable x, SDVariable weightIOHW, SDVariable bias,
                                             int stride, int padding, int outputPadding, Layout layout) {
        long[] w = shapeOf(weightIOHW, 4, "conv_transpose2d weight");
        if (outputPadding >= stride) {
            throw new IllegalArgumentException("output_padding must be smaller than stride");
        }
        DeConv2DConfig cfg = DeConv2DConfig.builder().kH(w[2]).kW(w[3]).sH(stride).sW(stride).pH(0).pW(0)
                .isSameMode(false).dataFormat(layout.name()).build();
        SDVariable kkoi = weightIOHW.permute(2, 3, 1, 0);                 // [kh, kw, O, I]
        SDVariable y = sd.cnn().deconv2d(x, kkoi, cfg);                  // (H - 1) * s + k
        int end = padding - outputPadding;
        if (end < 0) {
            int[][] pads = new int[4][2];
            pads[layout.h][1] = -end;
            pads[layout.w][1] = -end;
            y = sd.nn().pad(y, sd.constant(Nd4j.createFromArray(pads)), PadMode.CONSTANT, 0.0);
            end = 0;
        }
        if (padding > 0 || end > 0) {
            y = cropHW(y, padding, end, padding, end, layout);
        }
        return bias == null ? y : y.add(layout.channels(bias, w[1]));
    }

    /** torch {@code linear(x, w, b)} for {@code x [N, in]}, {@code w [out, in]}. */
    public static SDVariable linear(SameDiff sd, SDVariable x, SDVariable weightOutIn, SDVariable bias) {
        SDVariable y = sd.mmul(x, weightOutIn, false, true, false);
        return bias == null ? y : y.add(bias);
    }

    // ---- padding and cropping --------------------------------------------------------------------

    /** torch {@code ReflectionPad2d(pad)}. */
    public static SDVariable reflectPad(SameDiff sd, SDVariable x, int pad) {
        return reflectPad(sd, x, pad, Layout.NCHW);
    }

    /** As {@link #reflectPad(SameDiff, SDVariable, int)} on activations in {@code layout}. */
    public static SDVariable reflectPad(SameDiff sd, SDVariable x, int pad, Layout layout) {
        return reflectPad(sd, x, pad, pad, pad, pad, layout);
    }

    /**
     * torch {@code ReflectionPad2d((left, right, top, bottom))}, built from slices and concats: SameDiff
     * M2.1's REFLECT mode of {@code pad} returns a wrong gradient. Needs each pad smaller than its axis.
     */
    public static SDVariable reflectPad(SameDiff sd, SDVariable x, int top, int bottom, int left, int right) {
        return reflectPad(sd, x, top, bottom, left, right, Layout.NCHW);
    }

    private static SDVariable reflectPad(SameDiff sd, SDVariable x, int top, int bottom, int left, int right, Layout layout) {
        return reflectAxis(sd, reflectAxis(sd, x, layout.h, top, bottom), layout.w, left, right);
    }

    private static SDVariable reflectAxis(SameDiff sd, SDVariable x, int axis, int before, int after) {
        if (before == 0 && after == 0) {
            return x;
        }
        long n = x.getShape() != null && x.getShape().length == 4 ? x.getShape()[axis] : -1;
        if (n > 0 && (before >= n || after >= n)) {
            throw new IllegalArgumentException("reflect padding " + Math.max(before, after) + " needs an axis longer than it, got " + n);
        }
        SDVariable[] parts = new SDVariable[before + 1 + after];
        int p = 0;
        for (int i = before; i >= 1; i--) {                 // x[before], ..., x[1]
            parts[p++] = slice(x, axis, i, i + 1);
        }
        parts[p++] = x;
        for (int i = 2; i <= after + 1; i++) {              // x[n-2], ..., x[n-1-after]
            parts[p++] = slice(x, axis, -i, -i + 1);
        }
        return sd.concat(axis, parts);
    }

    /**
     * {@code x[from:to]} along one axis of a rank-4 variable, keeping the axis; negative bounds count
     * from the end as in Python (static, so sizes known only at run time are fine).
     */
    private static SDVariable slice(SDVariable x, int axis, long from, long to) {
        long[] begin = new long[4];
        long[] end = new long[4];
        begin[axis] = from;
        end[axis] = to;
        int otherAxes = 0b1111 & ~(1 << axis);                 // begin/end masks: whole range elsewhere
        return x.getSameDiff().stridedSlice(x, begin, end, new long[] {1, 1, 1, 1}, otherAxes, otherAxes, 0, 0, 0);
    }

    /** torch {@code ZeroPad2d((left, right, top, bottom))}, or {@code F.pad} with a constant value. */
    public static SDVariable constantPad(SameDiff sd, SDVariable x, int top, int bottom, int left, int right, double value) {
        return sd.nn().pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}})),
                PadMode.CONSTANT, value);
    }

    /** Drops rows and columns at the borders of NCHW activations. */
    public static SDVariable cropHW(SDVariable x, int top, int bottom, int left, int right) {
        return cropHW(x, top, bottom, left, right, Layout.NCHW);
    }

    /** Drops rows and columns at the borders of activations in {@code layout}. */
    public static SDVariable cropHW(SDVariable x, int top, int bottom, int left, int right, Layout layout) {
        long[] begin = new long[4];
        long[] end = new long[4];
        begin[layout.h] = top;
        begin[layout.w] = left;
        end[layout.h] = -bottom;
        end[layout.w] = -right;
        int whole = 0b1111 & ~(1 << layout.h) & ~(1 << layout.w);     // masks: the whole range on N and C
        int endMask = whole | (bottom == 0 ? 1 << layout.h : 0) | (right == 0 ? 1 << layout.w : 0);
        return x.getSameDiff().stridedSlice(x, begin, end, new long[] {1, 1, 1, 1}, whole, endMask, 0, 0, 0);
    }

    // ---- normalisation ---------------------------------------------------------------------------

    /**
     * torch {@code InstanceNorm2d(C, affine=False, track_running_stats=False)}: per sample and
     * channel, {@code (x - mean) / sqrt(var + eps)} with the biased variance.
     */
    public static SDVariable instanceNorm(SameDiff sd, SDVariable x, double eps) {
        return instanceNorm(sd, x, eps, Layout.NCHW);
    }

    /** As {@link #instanceNorm(SameDiff, SDVariable, double)} on activations in {@code layout}. */
    public static SDVariable instanceNorm(SameDiff sd, SDVariable x, double eps, Layout layout) {
        SDVariable mean = x.mean(true, layout.h, layout.w);
        SDVariable centred = x.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, layout.h, layout.w);
        return centred.mul(sd.math().rsqrt(var.add(eps)));
    }

    /** torch {@code BatchNorm2d} in eval mode: running statistics, affine {@code gamma}, {@code beta}. */
    public static SDVariable batchNormInference(SameDiff sd, SDVariable x, SDVariable mean, SDVariable var,
                                                SDVariable gamma, SDVariable beta, double eps) {
        long c = shapeOf(mean, 1, "batch-norm running mean")[0];
        SDVariable scale = gamma.mul(sd.math().rsqrt(var.add(eps)));
        SDVariable shift = beta.sub(mean.mul(scale));
        return x.mul(scale.reshape(1, c, 1, 1)).add(shift.reshape(1, c, 1, 1));
    }

    // ---- activations -----------------------------------------------------------------------------

    public static SDVariable relu(SameDiff sd, SDVariable x) {
        return sd.nn().relu(x, 0);
    }

    /**
     * torch {@code leaky_relu(x, slope)}: libnd4j's op, whose gradient keeps only x. Its kernels branch per
     * element (7 ms forward, 11 ms backward on 2M floats here); planned calls run vectorised equivalents
     * with the same values ({@code runtime.FastKernels}).
     */
    public static SDVariable leakyRelu(SameDiff sd, SDVariable x, double slope) {
        return sd.nn().leakyRelu(x, slope);
    }

    /** d/dx of {@code leaky_relu(x, slope) * gain} as torch takes it: gain where x > 0, slope * gain elsewhere. */
    public static SDVariable leakyReluSlope(SameDiff sd, SDVariable x, double slope, double gain) {
        return sd.math().step(x, 0.0).mul(gain * (1 - slope)).add(gain * slope);          // step: 1 where x > 0
    }

    /** torch {@code PReLU(C)}: {@code max(x, 0) + alpha_c * min(x, 0)}, one alpha per channel of NCHW or [N, C] input. */
    public static SDVariable prelu(SameDiff sd, SDVariable x, SDVariable alpha, int rank) {
        long c = shapeOf(alpha, 1, "prelu weight")[0];
        SDVariable a = rank == 4 ? alpha.reshape(1, c, 1, 1) : alpha.reshape(1, c);
        SDVariable pos = sd.nn().relu(x, 0);
        return pos.add(a.mul(x.sub(pos)));
    }

    // ---- pooling and resampling -----------------------------------------------------------------

    /**
     * torch {@code AvgPool2d(k, stride, padding, ceil_mode=False, count_include_pad)}: with
     * {@code countIncludePad=false} border windows average only the pixels inside the image.
     */
    public static SDVariable avgPool2d(SameDiff sd, SDVariable x, int k, int stride, int pad, boolean countIncludePad) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .type(Pooling2D.Pooling2DType.AVG)
                .divisor(countIncludePad ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return sd.cnn().avgPooling2d(x, cfg);
    }

    /**
     * torch {@code MaxPool2d(k, stride, padding, ceil_mode)}. With {@code ceilMode} the output has
     * {@code ceil((H + 2p - k) / s) + 1} rows (less one if the last window would start in the padding):
     * the input is padded with a very negative value at the far side and pooled without padding.
     */
    public static SDVariable maxPool2d(SameDiff sd, SDVariable x, int k, int stride, int pad, boolean ceilMode, long h, long w) {
        long outH = poolOut(h, k, stride, pad, ceilMode);
        long outW = poolOut(w, k, stride, pad, ceilMode);
        int extraH = (int) ((outH - 1) * stride + k - (h + 2L * pad));
        int extraW = (int) ((outW - 1) * stride + k - (w + 2L * pad));
        SDVariable y = x;
        if (pad > 0 || extraH > 0 || extraW > 0) {
            y = constantPad(sd, x, pad, pad + Math.max(extraH, 0), pad, pad + Math.max(extraW, 0), -3.0e38);
        }
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(0).pW(0)
                .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return sd.cnn().maxPooling2d(y, cfg);
    }

    /** Output length of torch's pooling along one axis of length {@code n}. */
    public static long poolOut(long n, int k, int stride, int pad, boolean ceilMode) {
        long span = n + 2L * pad - k;
        long out = (ceilMode ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceilMode && (out - 1) * stride >= n + pad) {   // the last window must start inside the input or left padding
            out--;
        }
        return out;
    }

    /** torch {@code Upsample(scale_factor=s, mode='nearest')} on NCHW activations. */
    public static SDVariable upsampleNearest(SameDiff sd, SDVariable x, int scale) {
        return upsampleNearest(sd, x, scale, Layout.NCHW);
    }

    /** As {@link #upsampleNearest(SameDiff, SDVariable, int)} on activations in {@code layout}. */
    public static SDVariable upsampleNearest(SameDiff sd, SDVariable x, int scale, Layout layout) {
        // the 4-argument form: (x, 2) is broken on M2.1
        return sd.cnn().upsampling2d(x, scale, scale, layout == Layout.NCHW);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The static shape of a variable (a weight), checked to have {@code rank} dimensions. */
    public static long[] shapeOf(SDVariable v, int rank, String what) {
        long[] s = v.getShape();
        if (s == null || s.length != rank) {
            throw new IllegalArgumentException(what + " '" + v.name() + "' must have a known rank-" + rank
                    + " shape, got " + (s == null ? "none" : Arrays.toString(s)));
        }
        return s;
    }
}
