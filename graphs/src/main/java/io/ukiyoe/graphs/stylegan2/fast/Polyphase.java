package io.ukiyoe.graphs.stylegan2.fast;

import io.ukiyoe.graphs.stylegan2.Ops;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fast forms of StyleGAN2's FIR resampling convs, equal to the reference ops (transposed conv then
 * blur, blur then strided conv, upfirdn2d up=2) up to float rounding: polyphase kernels and the tap
 * algebra that maps a plain [O, I, k, k] weight to them (used both in-graph and by the prepared
 * views of {@code PreparedWeights}). UpsamplingTest holds each against its reference form.
 */
public final class Polyphase {
    private Polyphase() {}

    /** The 1-D [1,3,3,1] FIR normalised to sum 2: the per-axis half of a 2-D filter with gain 4. */
    private static final double[] FIR_UP = {0.25, 0.75, 0.75, 0.25};

    /**
     * The StyleGAN2 upsampling conv — torch conv_transpose2d(x, W.transpose(0,1), stride 2) followed
     * by the [1,3,3,1] FIR with pad (1,1) and gain 4 — in a polyphase form that oneDNN runs at full
     * speed. Per axis the FIR factors as [1,1]/2 * [1,2,1]/2: the [1,1] half folds into the transposed
     * conv, whose every output phase then takes exactly two input taps, so two 2x2 convs (one per
     * output-row phase, the column phases as 2*Cout channels) give the phases of the half-filtered
     * upsampled map; interleaved, its 3-tap [1,2,1] rest is a small depthwise conv without padding.
     * That is 16 multiply-adds per input pixel and channel pair where the transposed conv does 9 (at
     * a third of oneDNN's conv speed here) and a 3x3 polyphase kernel with the whole FIR 36; libnd4j's
     * deconv2d, the blur's padding and its column buffer go.
     *
     * @param rows from {@link #rowKernels} or {@link #upConvKernels(SameDiff, String, INDArray)}: the
     *             [2, 2, Cin, 2*Cout] kernels of the even and the odd rows
     */
    public static SDVariable upConvNhwc(SameDiff sd, SDVariable x, SDVariable[] rows, long inRes, long cout,
                                        boolean pooledBlur) {
        // phases m = 0..H of the map v[q] = u'[q - 1] (u' = u * [1,1]/2, u the transposed conv's output):
        // both read x[m - 1], x[m], hence the 2x2 kernels with padding 1; [N, 2H+2, 2W+2, Cout]
        SDVariable v = interleaveRows(sd, Ops.convNhwc(sd, x, rows[0], 2, 1), Ops.convNhwc(sd, x, rows[1], 2, 1),
                inRes + 1, cout);
        if (pooledBlur) {                                                           // [1,2,1]/2 per axis
            return io.ukiyoe.graphs.stylegan2.Ops.pooledBlurNhwc(sd, v, 0, 0, 2, 4);
        }
        double[] h = {0.5, 1, 0.5};
        float[] k = new float[9 * (int) cout];                                    // [3, 3, Cout, 1]
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                java.util.Arrays.fill(k, (i * 3 + j) * (int) cout, (i * 3 + j + 1) * (int) cout, (float) (h[i] * h[j]));
            }
        }
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(0).pW(0)
                .paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
        INDArray blur = Nd4j.create(k, new long[] {3, 3, cout, 1}, DataType.FLOAT).castTo(x.dataType());
        return sd.cnn().depthWiseConv2d(v, sd.constant(blur), cfg);                // [N, 2H, 2W, Cout]
    }

    /**
     * The same upsampling conv with the whole FIR folded into a 3x3 polyphase kernel (from
     * {@link #upConvKernel} with firFolded): 36 multiply-adds per input pixel and channel pair, but
     * no blur at all, and one conv to all four phases [N, H, W, (phase y, phase x, Cout)]. Trainable
     * graphs use it: the gradient of libnd4j's depthwise conv (the blur) and of its deconv2d cost
     * more than the extra multiply-adds at training resolutions, and each conv op costs SameDiff
     * and libnd4j about a millisecond beyond its arithmetic here (one conv to 4*Cout channels took
     * 11 ms forward and backward at 16 -> 32 px, 64 -> 48 channels, batch 8; two convs to 2*Cout 17).
     */
    public static SDVariable upConvFoldedNhwc(SameDiff sd, SDVariable x, SDVariable kernel, long inRes, long cout) {
        // [N, H, W, 2, 2*C] -> [N, H, 2, W, 2*C]: rows interleaved, the column phases already in place
        return Ops.convNhwc(sd, x, kernel, 3, 1).reshape(-1, inRes, inRes, 2, 2 * cout).permute(0, 1, 3, 2, 4)
                .reshape(-1, 2 * inRes, 2 * inRes, cout);
    }

    /**
     * Interleaves the even- and odd-row phases [N, H, W, 2*C] (column phases in the channels) into
     * [N, 2H, 2W, C]: stacked after H, [N, H, 2, W, 2*C] is that map in memory, so the interleave is
     * a block copy (a depth_to_space took 165 ms of a 1024 px pass here).
     */
    private static SDVariable interleaveRows(SameDiff sd, SDVariable evenRows, SDVariable oddRows, long res, long c) {
        return sd.stack(2, evenRows, oddRows).reshape(-1, 2 * res, 2 * res, c);
    }

    /**
     * [9, 4 * w * w]: maps a 3x3 kernel's taps (ky, kx) to the taps (dy, dx, phase y, phase x) of the
     * polyphase kernels, w = 2 for {@link #upConvNhwc} and 3 for {@link #upConvFoldedNhwc}.
     * Per axis, with u[2i + k] = x[i] W[k] the transposed conv's output: in the 2x2 form phase p at
     * m is u'[2m + p - 1] = (u[2m + p - 1] + u[2m + p]) / 2, so input m - 1 + d reaches it through
     * tap k = p + a + 1 - 2d of the [1,1] tap a; in the folded form output 2m + p takes input m + d
     * through tap k and FIR tap t whenever p + t - 1 - k = 2d.
     */
    public static double[][] upConvTapMatrix(boolean firFolded) {
        int w = firFolded ? 3 : 2;
        double[][][] a = new double[2][w][3];                                   // [phase][d][k]
        for (int p = 0; p < 2; p++) {
            if (firFolded) {
                for (int t = 0; t < 4; t++) {
                    for (int k = 0; k < 3; k++) {
                        int twoD = p + t - 1 - k;
                        if ((twoD & 1) == 0) {
                            a[p][twoD / 2 + 1][k] += FIR_UP[t];
                        }
                    }
                }
                continue;
            }
            for (int d = 0; d < 2; d++) {
                for (int t = 0; t < 2; t++) {
                    int k = p + t + 1 - 2 * d;
                    if (k >= 0 && k < 3) {
                        a[p][d][k] += 0.5;
                    }
                }
            }
        }
        int cols = 4 * w * w;
        double[][] m = new double[9][cols];
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                for (int dy = 0; dy < w; dy++) {
                    for (int dx = 0; dx < w; dx++) {
                        for (int py = 0; py < 2; py++) {
                            for (int px = 0; px < 2; px++) {
                                m[ky * 3 + kx][((dy * w + dx) * 2 + py) * 2 + px] = a[py][dy][ky] * a[px][dx][kx];
                            }
                        }
                    }
                }
            }
        }
        return m;
    }

    private static INDArray upConvTaps(boolean firFolded) {
        return matrix(upConvTapMatrix(firFolded));
    }

    private static INDArray matrix(double[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                f[r * m[0].length + c] = (float) m[r][c];
            }
        }
        return Nd4j.create(f, new long[] {m.length, m[0].length}, DataType.FLOAT);
    }

    /**
     * The polyphase kernel of {@link #upConvNhwc} (firFolded false, w = 2) or {@link #upConvFoldedNhwc}
     * (true, w = 3) from a (scaled) [Cout, Cin, 3, 3] weight variable: [w, w, Cin, (phase y, phase x, Cout)].
     */
    public static SDVariable upConvKernel(SameDiff sd, SDVariable weightOI33, long cout, long cin, boolean firFolded) {
        int w = firFolded ? 3 : 2;
        SDVariable taps = sd.constant(upConvTaps(firFolded).castTo(weightOI33.dataType()));
        return weightOI33.reshape(cout * cin, 9).mmul(taps).reshape(cout, cin, w, w, 2, 2)
                .permute(2, 3, 1, 4, 5, 0).reshape(w, w, cin, 4 * cout);
    }

    /** The even- and odd-row kernels of {@link #upConvNhwc}: a [w, w, Cin, 4*Cout] kernel split at phase y. */
    public static SDVariable[] rowKernels(SDVariable kernel, long cout) {
        return new SDVariable[] {
            kernel.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(0L, 2 * cout)),
            kernel.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(2 * cout, 4 * cout))};
    }

    /** The row kernels of {@link #upConvNhwc} ({@link #upConvKernel}, 2x2 form, split) as graph constants, computed once. */
    public static SDVariable[] upConvKernels(SameDiff sd, String name, INDArray weightOI33) {
        long cout = weightOI33.size(0);
        long cin = weightOI33.size(1);
        INDArray taps = upConvTaps(false).castTo(weightOI33.dataType());
        INDArray k = weightOI33.dup('c').reshape(cout * cin, 9).mmul(taps).reshape('c', cout, cin, 2, 2, 2, 2)
                .permute(2, 3, 1, 4, 5, 0).dup('c').reshape(2, 2, cin, 4 * cout);
        return rowConstants(sd, name, k, 2 * cout);
    }

    /** The two halves of a [k, k, Cin, 2*half] kernel (even, odd output rows) as constants named after {@code name}. */
    private static SDVariable[] rowConstants(SameDiff sd, String name, INDArray kernel, long half) {
        INDArrayIndex all = NDArrayIndex.all();
        INDArray even = kernel.get(all, all, all, NDArrayIndex.interval(0, half)).dup('c');
        INDArray odd = kernel.get(all, all, all, NDArrayIndex.interval(half, 2 * half)).dup('c');
        return new SDVariable[] {sd.constant(name + "/even_rows", even), sd.constant(name + "/odd_rows", odd)};
    }

    /**
     * upfirdn2d(x, f, up=2, pad=(2,1), gain 4) — the skip-image upsampling — for NHWC images in
     * polyphase form: output 2m+p takes input m+d through FIR tap t = 2d + 2 - p, so one 3x3 conv per
     * output-row phase to 2*C channels (each channel on its own), interleaved.
     */
    public static SDVariable upsample2dNhwc(SameDiff sd, SDVariable x, int channels, long inRes) {
        return upConvFoldedNhwc(sd, x, sd.constant(upsampleKernel(channels).castTo(x.dataType())), inRes, channels);
    }

    /** The adjoint of {@link #upsample2dNhwc}: [N, 2H, 2W, C] -> [N, H, W, C]. */
    public static SDVariable upsample2dAdjointNhwc(SameDiff sd, SDVariable g, int channels, long inRes) {
        return upConvFoldedAdjointNhwc(sd, g, sd.constant(upsampleKernel(channels).castTo(g.dataType())), inRes, channels);
    }

    /** The kernel of {@link #upsample2dNhwc}: [3, 3, C, (phase y, phase x, C)], each channel on its own. */
    private static INDArray upsampleKernel(int channels) {
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
        return Nd4j.create(k, new long[] {3, 3, channels, 4L * channels}, DataType.FLOAT);
    }

    /**
     * The adjoint of {@link #upConvFoldedNhwc} w.r.t. its input: the four phases gathered back into
     * channels [N, H, W, 4*Cout], then the transposed 3x3 conv with the same kernel -> [N, H, W, Cin].
     */
    public static SDVariable upConvFoldedAdjointNhwc(SameDiff sd, SDVariable g, SDVariable kernel, long inRes, long cout) {
        SDVariable phases = g.reshape(-1, inRes, 2, inRes, 2 * cout).permute(0, 1, 3, 2, 4)
                .reshape(-1, inRes, inRes, 4 * cout);
        return Ops.convAdjointNhwc(sd, phases, kernel, 3, 1, 1);
    }
}
