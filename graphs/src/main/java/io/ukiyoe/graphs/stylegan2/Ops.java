package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.Layers;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The StyleGAN2 building blocks as SameDiff ops, NCHW throughout. Weights arrive in PyTorch layouts
 * and are permuted inside the graph (SameDiff's OIYX weight format is broken in backprop on M2.1).
 */
public final class Ops {
    public static final double SQRT2 = Math.sqrt(2);

    private Ops() {}

    public static INDArray array(Tensor t) {
        if (t.rank() == 0) {
            return Nd4j.scalar(t.data()[0]);
        }
        return Nd4j.create(t.data(), t.shape(), DataType.FLOAT).reshape('c', t.shape());
    }

    /** The [1,3,3,1] FIR filter, normalised to sum {@code gain}, as a [4,4,1,1] conv weight. */
    public static INDArray fir(double gain) {
        double[] k = {1, 3, 3, 1};
        float[] f = new float[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                f[i * 4 + j] = (float) (k[i] * k[j] / 64.0 * gain);
            }
        }
        return Nd4j.create(f, new long[] {4, 4, 1, 1}, DataType.FLOAT);
    }

    /**
     * leaky_relu(x, 0.2) * sqrt(2) * gain, then (stylegan2-ada bias_act) clamped to +-conv_clamp * gain
     * when a clamp is set.
     */
    public static SDVariable lrelu(SameDiff sd, SDVariable x, double gain, Double clamp) {
        SDVariable y = leaky(sd, x, SQRT2 * gain);
        return clamp == null ? y : sd.math().clipByValue(y, -clamp * gain, clamp * gain);
    }

    /**
     * {@link #lrelu} with gain 1 for an input already multiplied by sqrt(2): leaky_relu(x, 0.2), clamped
     * to +-conv_clamp when a clamp is set. The same result, one elementwise pass fewer.
     */
    public static SDVariable lreluOfScaled(SameDiff sd, SDVariable xTimesSqrt2, Double clamp) {
        SDVariable y = leaky(sd, xTimesSqrt2, 1);
        return clamp == null ? y : sd.math().clipByValue(y, -clamp, clamp);
    }

    /** leaky_relu(x, 0.2) * gain (planned calls run the leaky ReLU as {@code FastKernels}). */
    private static SDVariable leaky(SameDiff sd, SDVariable x, double gain) {
        SDVariable y = Layers.leakyRelu(sd, x, 0.2);
        return Math.abs(gain - 1) > 1e-12 ? y.mul(gain) : y;       // D's conv1 has gain sqrt(1/2): no pass for x 1
    }

    /** Adds a per-channel bias [C] to NCHW activations. */
    public static SDVariable addChannelBias(SDVariable x, SDVariable bias, long channels, double gain) {
        SDVariable b = gain == 1 ? bias : bias.mul(gain);
        return x.add(b.reshape(1, channels, 1, 1));
    }

    /** Plain 2-D convolution (correlation, as torch conv2d) of NCHW activations with a weight in SameDiff's [k, k, I, O] layout. */
    public static SDVariable convPrepared(SameDiff sd, SDVariable x, SDVariable weightHWIO, int k, int stride, int pad) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        return sd.cnn().conv2d(x, weightHWIO, cfg);
    }

    /** Convolution of NHWC activations with a weight in SameDiff's [k, k, I, O] layout. */
    public static SDVariable convNhwc(SameDiff sd, SDVariable x, SDVariable weightHWIO, int k, int pad) {
        return convNhwc(sd, x, weightHWIO, k, 1, pad);
    }

    /** As {@link #convNhwc(SameDiff, SDVariable, SDVariable, int, int)} with a stride. */
    public static SDVariable convNhwc(SameDiff sd, SDVariable x, SDVariable weightHWIO, int k, int stride, int pad) {
        return convNhwc(sd, x, weightHWIO, null, k, stride, pad);
    }

    /**
     * As {@link #convNhwc(SameDiff, SDVariable, SDVariable, int, int, int)} plus a per-channel bias [O]
     * (null: none) inside the conv: oneDNN adds it on the way out and sums its gradient with the
     * weight's, where a separate add and its gradient are two more passes over the map (libnd4j's
     * add_bp took 2-3 ms for a bias over [16, 64, 64, 32]).
     */
    public static SDVariable convNhwc(SameDiff sd, SDVariable x, SDVariable weightHWIO, SDVariable bias, int k,
                                      int stride, int pad) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
        return bias == null ? sd.cnn().conv2d(x, weightHWIO, cfg) : sd.cnn().conv2d(x, weightHWIO, bias, cfg);
    }

    /**
     * A 1x1 conv of NHWC activations [N, res, res, I] with a [1, 1, I, O] weight, as the matrix product
     * of the [N res res, I] pixels with the [I, O] weight: [N, res, res, O]. oneDNN's gradient of a 1x1
     * conv with few channels (fromrgb's 3 in, torgb's 3 out) took 3-5 ms at 64 px, batch 8, where the
     * products' gradients take a fraction of a millisecond.
     */
    public static SDVariable pointwiseNhwc(SDVariable x, SDVariable weightHWIO, long res, long in, long out) {
        return x.reshape(-1, in).mmul(weightHWIO.reshape(in, out)).reshape(-1, res, res, out);
    }

    /**
     * torch conv_transpose2d(x, W.transpose(0,1), stride 2) (2H+k-2 outputs) on NHWC activations,
     * the weight already in SameDiff's deconv layout [k, k, O, I] (a [O,I,k,k] weight permuted (2,3,0,1)).
     */
    public static SDVariable convTransposeStride2Nhwc(SameDiff sd, SDVariable x, SDVariable weightKKOI, int k) {
        DeConv2DConfig cfg = DeConv2DConfig.builder().kH(k).kW(k).sH(2).sW(2).pH(0).pW(0)
                .isSameMode(false).dataFormat("NHWC").build();
        return sd.cnn().deconv2d(x, weightKKOI, cfg);
    }

    /** upfirdn2d (up = down = 1) on NHWC activations: pad, then the FIR as a depthwise 4x4 conv. */
    public static SDVariable blurNhwc(SameDiff sd, SDVariable x, long channels, int pad0, int pad1, double gain) {
        SDVariable p = sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {pad0, pad1}, {pad0, pad1}, {0, 0}}));
        SDVariable padded = sd.nn().pad(x, p, PadMode.CONSTANT, 0.0);
        INDArray f = fir(gain).reshape(4, 4, 1, 1).repeat(2, channels).reshape(4, 4, channels, 1);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(4).kW(4).sH(1).sW(1).pH(0).pW(0)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
        return sd.cnn().depthWiseConv2d(padded, sd.constant(f.castTo(x.dataType())), cfg);
    }

    /**
     * A binomial FIR on NHWC activations as {@code pools} successive 2x2 average pools, stride 1,
     * after padding: 3 pools are {@link #blurNhwc}'s [1,3,3,1] (each pool is [1,1]/2 per axis), 2 the
     * [1,2,1]/4. The same values as the depthwise conv, but libnd4j's pooling gradient is a small
     * fraction of its depthwise-conv gradient (which builds a column buffer of 16 values per input).
     */
    public static SDVariable pooledBlurNhwc(SameDiff sd, SDVariable x, int pad0, int pad1, int pools, double gain) {
        return pooledBlurNhwc(sd, x, pad0, pad1, pools, 1, gain);
    }

    /**
     * {@link #pooledBlurNhwc(SameDiff, SDVariable, int, int, int, double)} keeping every
     * {@code lastStride}-th output per axis (the last pool strided): the FIR then a downsampling.
     */
    public static SDVariable pooledBlurNhwc(SameDiff sd, SDVariable x, int pad0, int pad1, int pools, int lastStride,
                                            double gain) {
        SDVariable y = x;
        if (pad0 != 0 || pad1 != 0) {
            SDVariable p = sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {pad0, pad1}, {pad0, pad1}, {0, 0}}));
            y = sd.nn().pad(y, p, PadMode.CONSTANT, 0.0);
        }
        for (int i = 0; i < pools; i++) {
            int stride = i == pools - 1 ? lastStride : 1;
            Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(stride).sW(stride).pH(0).pW(0)
                    .paddingMode(PaddingMode.VALID).isNHWC(true).type(Pooling2D.Pooling2DType.AVG).build();
            y = sd.cnn().avgPooling2d(y, cfg);
        }
        return gain == 1 ? y : y.mul(gain);
    }

    /**
     * The adjoint of {@link #convNhwc} w.r.t. its input: the transposed convolution with the same
     * [k, k, I, O] weight (SameDiff's deconv layout [k, k, out, in] is that weight as it is).
     */
    public static SDVariable convAdjointNhwc(SameDiff sd, SDVariable g, SDVariable weightHWIO, int k, int stride, int pad) {
        DeConv2DConfig cfg = DeConv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .isSameMode(false).dataFormat("NHWC").build();
        return sd.cnn().deconv2d(g, weightHWIO, cfg);
    }
}
