package io.ukiyoe.graphs.nn;

import io.ukiyoe.core.io.Tensor;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The StyleGAN2 building blocks as SameDiff ops, NCHW throughout. Weights arrive in PyTorch layouts
 * and are permuted inside the graph (SameDiff's OIYX weight format is broken in backprop on M2.1).
 */
public final class Ops {
    static final double SQRT2 = Math.sqrt(2);

    private Ops() {}

    public static INDArray array(Tensor t) {
        if (t.rank() == 0) {
            return Nd4j.scalar(t.data()[0]);
        }
        return Nd4j.create(t.data(), t.shape(), DataType.FLOAT).reshape('c', t.shape());
    }

    /** The [1,3,3,1] FIR filter, normalised to sum {@code gain}, as a [4,4,1,1] conv weight. */
    static INDArray fir(double gain) {
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
    static SDVariable lrelu(SameDiff sd, SDVariable x, double gain, Double clamp) {
        SDVariable y = sd.nn().leakyRelu(x, 0.2).mul(SQRT2 * gain);
        return clamp == null ? y : sd.math().clipByValue(y, -clamp * gain, clamp * gain);
    }

    /** Adds a per-channel bias [C] to NCHW activations. */
    static SDVariable addChannelBias(SDVariable x, SDVariable bias, long channels, double gain) {
        SDVariable b = gain == 1 ? bias : bias.mul(gain);
        return x.add(b.reshape(1, channels, 1, 1));
    }

    /** Plain 2-D convolution (correlation, as torch conv2d) with a [O,I,k,k] weight. */
    static SDVariable conv(SameDiff sd, SDVariable x, SDVariable weightOIkk, int k, int stride, int pad) {
        return convPrepared(sd, x, weightOIkk.permute(2, 3, 1, 0), k, stride, pad);
    }

    /** Convolution with a weight already in SameDiff's [k, k, I, O] layout. */
    static SDVariable convPrepared(SameDiff sd, SDVariable x, SDVariable weightHWIO, int k, int stride, int pad) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        return sd.cnn().conv2d(x, weightHWIO, cfg);
    }

    /** Convolution of NHWC activations with a weight in SameDiff's [k, k, I, O] layout. */
    static SDVariable convNhwc(SameDiff sd, SDVariable x, SDVariable weightHWIO, int k, int pad) {
        return convNhwc(sd, x, weightHWIO, k, 1, pad);
    }

    /** As {@link #convNhwc(SameDiff, SDVariable, SDVariable, int, int)} with a stride. */
    static SDVariable convNhwc(SameDiff sd, SDVariable x, SDVariable weightHWIO, int k, int stride, int pad) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
        return sd.cnn().conv2d(x, weightHWIO, cfg);
    }

    /**
     * torch conv_transpose2d(x, W.transpose(0,1), stride 2) (2H+k-2 outputs) on NHWC activations,
     * the weight already in SameDiff's deconv layout [k, k, O, I] (a [O,I,k,k] weight permuted (2,3,0,1)).
     */
    static SDVariable convTransposeStride2Nhwc(SameDiff sd, SDVariable x, SDVariable weightKKOI, int k) {
        DeConv2DConfig cfg = DeConv2DConfig.builder().kH(k).kW(k).sH(2).sW(2).pH(0).pW(0)
                .isSameMode(false).dataFormat("NHWC").build();
        return sd.cnn().deconv2d(x, weightKKOI, cfg);
    }

    /** The 1-D [1,3,3,1] FIR normalised to sum 2: the per-axis half of a 2-D filter with gain 4. */
    private static final double[] FIR_UP = {0.25, 0.75, 0.75, 0.25};

    /**
     * The StyleGAN2 upsampling conv — torch conv_transpose2d(x, W.transpose(0,1), stride 2) followed
     * by the [1,3,3,1] FIR with pad (1,1) and gain 4 — written as its polyphase equivalent: each of
     * the four output phases (row, column parity) is a 3x3 correlation of the input with a kernel
     * mixed from W and the FIR, so ordinary convs with 4*Cout outputs in all, interleaved, give
     * the [N, 2H, 2W, Cout] result. oneDNN runs that conv at full speed, where libnd4j's deconv2d
     * and the separate blur were most of a 1024 px pass (and the transposed conv's column buffer
     * most of its memory). It does 4x the transposed conv's multiply-adds, so the generator uses it
     * from {@link GeneratorGraph#POLYPHASE_MIN_RES} up only.
     *
     * @param rows from {@link #upConvKernels}: the [3, 3, Cin, 2*Cout] kernels of the even and the
     *             odd output rows
     */
    static SDVariable upConvNhwc(SameDiff sd, SDVariable x, SDVariable[] rows, long inRes, long cout) {
        // one conv per output-row phase, stacked after H: [N, H, 2, W, 2*Cout] is [N, 2H, 2W, Cout]
        // in memory, so the interleave is a concat (a block copy) instead of a depth_to_space, which
        // took 165 ms of a 1024 px pass here
        SDVariable evenRows = sd.expandDims(convNhwc(sd, x, rows[0], 3, 1), 2);
        SDVariable oddRows = sd.expandDims(convNhwc(sd, x, rows[1], 3, 1), 2);
        return sd.concat(2, evenRows, oddRows).reshape(-1, 2 * inRes, 2 * inRes, cout);
    }

    /**
     * [9, 36]: maps a 3x3 kernel's taps (ky, kx) to the polyphase taps (dy, dx, phase y, phase x).
     * Phase p of output 2m+p takes input m+d (d = -1, 0, 1) through transposed-conv tap k and FIR
     * tap t whenever p + t - 1 - k = 2d.
     */
    private static INDArray upConvTaps() {
        double[][][] a = new double[2][3][3];                                   // [phase][d + 1][k]
        for (int p = 0; p < 2; p++) {
            for (int t = 0; t < 4; t++) {
                for (int k = 0; k < 3; k++) {
                    int twoD = p + t - 1 - k;
                    if ((twoD & 1) == 0) {
                        a[p][twoD / 2 + 1][k] += FIR_UP[t];
                    }
                }
            }
        }
        float[] m = new float[9 * 36];
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        for (int py = 0; py < 2; py++) {
                            for (int px = 0; px < 2; px++) {
                                m[(ky * 3 + kx) * 36 + ((dy * 3 + dx) * 2 + py) * 2 + px] =
                                        (float) (a[py][dy][ky] * a[px][dx][kx]);
                            }
                        }
                    }
                }
            }
        }
        return Nd4j.create(m, new long[] {9, 36}, DataType.FLOAT);
    }

    /**
     * The row-phase kernels of {@link #upConvNhwc} from a (scaled) [Cout, Cin, 3, 3] weight
     * variable: [3, 3, Cin, (phase y, phase x, Cout)] split at phase y.
     */
    static SDVariable[] upConvKernels(SameDiff sd, SDVariable weightOI33, long cout, long cin) {
        SDVariable taps = sd.constant(upConvTaps().castTo(weightOI33.dataType()));
        SDVariable k = weightOI33.reshape(cout * cin, 9).mmul(taps).reshape(cout, cin, 3, 3, 2, 2)
                .permute(2, 3, 1, 4, 5, 0).reshape(3, 3, cin, 4 * cout);
        return new SDVariable[] {
            k.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(0L, 2 * cout)),
            k.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(2 * cout, 4 * cout))};
    }

    /** {@link #upConvKernels(SameDiff, SDVariable, long, long)} as graph constants, computed once. */
    static SDVariable[] upConvKernels(SameDiff sd, String name, INDArray weightOI33) {
        long cout = weightOI33.size(0);
        long cin = weightOI33.size(1);
        INDArray taps = upConvTaps().castTo(weightOI33.dataType());
        INDArray k = weightOI33.dup('c').reshape(cout * cin, 9).mmul(taps).reshape('c', cout, cin, 3, 3, 2, 2)
                .permute(2, 3, 1, 4, 5, 0).dup('c').reshape(3, 3, cin, 4 * cout);
        return rowConstants(sd, name, k, 2 * cout);
    }

    /** The two halves of a [3, 3, Cin, 2*half] kernel (even, odd output rows) as constants, named after {@code name} if given. */
    private static SDVariable[] rowConstants(SameDiff sd, String name, INDArray kernel, long half) {
        INDArrayIndex all = NDArrayIndex.all();
        INDArray even = kernel.get(all, all, all, NDArrayIndex.interval(0, half)).dup('c');
        INDArray odd = kernel.get(all, all, all, NDArrayIndex.interval(half, 2 * half)).dup('c');
        return name == null ? new SDVariable[] {sd.constant(even), sd.constant(odd)}
                : new SDVariable[] {sd.constant(name + "/even_rows", even), sd.constant(name + "/odd_rows", odd)};
    }

    /** upfirdn2d (up = down = 1) on NHWC activations: pad, then the FIR as a depthwise 4x4 conv. */
    static SDVariable blurNhwc(SameDiff sd, SDVariable x, long channels, int pad0, int pad1, double gain) {
        SDVariable p = sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {pad0, pad1}, {pad0, pad1}, {0, 0}}));
        SDVariable padded = sd.nn().pad(x, p, PadMode.CONSTANT, 0.0);
        INDArray f = fir(gain).reshape(4, 4, 1, 1).repeat(2, channels).reshape(4, 4, channels, 1);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(4).kW(4).sH(1).sW(1).pH(0).pW(0)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
        return sd.cnn().depthWiseConv2d(padded, sd.constant(f.castTo(x.dataType())), cfg);
    }

    /**
     * upfirdn2d(x, f, up=2, pad=(2,1), gain 4) — the skip-image upsampling — for NHWC images, in the
     * same polyphase form as {@link #upConvNhwc}: output 2m+p takes input m+d through FIR tap
     * t = 2d + 2 - p, 3x3 convs to 4*C channels in all (each channel on its own), interleaved.
     */
    static SDVariable upsample2dNhwc(SameDiff sd, SDVariable x, int channels, long inRes) {
        float[] k = new float[3 * 3 * channels * 4 * channels];                  // [dy, dx, Cin, (py, px, Cout)]
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                for (int py = 0; py < 2; py++) {
                    for (int px = 0; px < 2; px++) {
                        int ty = 2 * (dy - 1) + 2 - py;
                        int tx = 2 * (dx - 1) + 2 - px;
                        if (ty < 0 || ty > 3 || tx < 0 || tx > 3) {
                            continue;
                        }
                        for (int c = 0; c < channels; c++) {
                            k[((dy * 3 + dx) * channels + c) * 4 * channels + (py * 2 + px) * channels + c] =
                                    (float) (FIR_UP[ty] * FIR_UP[tx]);
                        }
                    }
                }
            }
        }
        INDArray kernel = Nd4j.create(k, new long[] {3, 3, channels, 4L * channels}, DataType.FLOAT);
        return upConvNhwc(sd, x, rowConstants(sd, null, kernel.castTo(x.dataType()), 2L * channels),
                inRes, channels);
    }
}
