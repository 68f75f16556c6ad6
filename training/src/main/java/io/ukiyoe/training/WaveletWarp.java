package io.ukiyoe.training;

import io.ukiyoe.data.Resample;

/**
 * ADA's filtered geometric resampling, as stylegan2-ada's {@code AugmentPipe} executes its transforms: the
 * batch is reflection-padded by a margin that covers every sample's transformed corners (plus the filter's
 * reach), upsampled 2x with the sym6 wavelet low-pass (zero insertion, gain 4), resampled bilinearly under
 * each sample's affine map at twice the resolution (zeros outside, pixel centres as {@code grid_sample} with
 * {@code align_corners=False}), then low-passed with the same filter, decimated 2x and cropped. The filter
 * suppresses the aliasing that plain bilinear sampling leaves in rotated and scaled images, which D would
 * otherwise learn to tell apart.
 *
 * <p>Every stage is linear, so the whole warp is a fixed linear map of the pixels; {@link #adjoint} runs the
 * stages' transposes in reverse order (the exact gradient). The separable filters are {@link Fir1d}s with
 * the padding folded in; the bilinear taps are recomputed from each sample's affine map on the fly, and only
 * the window of upsampled pixels they read is computed (the batch's shared margin is sized for the sample
 * that reaches furthest).
 */
final class WaveletWarp implements Warp {
    /** Daubechies' least-asymmetric (symlet) 6 low-pass, 12 taps; normalised to sum 1 below. */
    private static final double[] SYM6 = {
            0.015404109327027373, 0.0034907120842174702, -0.11799011114819057, -0.048311742585633,
            0.4910559419267466, 0.787641141030194, 0.3379294217276218, -0.07263752278646252,
            -0.021060292512300564, 0.04472490177066578, 0.0017677118642428036, -0.007800708325034148};
    private static final double[] FILTER = normalised(SYM6);
    /** A quarter of the filter length: the blur's reach in input pixels is 2x this. */
    private static final int FILTER_PAD = FILTER.length / 4;

    private final int batch;
    private final int height;
    private final int width;
    /** Upsampled padded input size, and the size of the twice-resolution grid that is resampled. */
    private final int upH;
    private final int upW;
    private final int gridH;
    private final int gridW;
    private final Fir1d upX;
    private final Fir1d upY;
    private final Fir1d downX;
    private final Fir1d downY;
    /** Per sample: upsampled input pixel (x, y) = affine[b] . (grid column, grid row, 1). */
    private final double[][] affine;
    /** Per sample: the window {x0, x1, y0, y1} (exclusive ends) of upsampled pixels its bilinear taps read. */
    private final int[][] window;

    /**
     * @param geometric per sample, the 3x3 map from output to input pixel in centred pixel coordinates
     *                  (the reference's {@code G_inv})
     */
    WaveletWarp(int height, int width, double[][][] geometric) {
        this.batch = geometric.length;
        this.height = height;
        this.width = width;
        // margins: how far the transformed corners reach outside the image, over the whole batch
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        double[][] corners = {{-cx, -cy}, {cx, -cy}, {cx, cy}, {-cx, cy}};
        double[] m = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[][] g : geometric) {
            for (double[] c : corners) {
                double x = g[0][0] * c[0] + g[0][1] * c[1] + g[0][2];
                double y = g[1][0] * c[0] + g[1][1] * c[1] + g[1][2];
                m[0] = Math.max(m[0], -x);
                m[1] = Math.max(m[1], -y);
                m[2] = Math.max(m[2], x);
                m[3] = Math.max(m[3], y);
            }
        }
        int mx0 = margin(m[0] + FILTER_PAD * 2 - cx, width);
        int my0 = margin(m[1] + FILTER_PAD * 2 - cy, height);
        int mx1 = margin(m[2] + FILTER_PAD * 2 - cx, width);
        int my1 = margin(m[3] + FILTER_PAD * 2 - cy, height);
        int padW = width + mx0 + mx1;
        int padH = height + my0 + my1;
        this.upW = 2 * padW;
        this.upH = 2 * padH;
        this.gridW = (width + FILTER_PAD * 2) * 2;
        this.gridH = (height + FILTER_PAD * 2) * 2;
        this.upX = upsample(width, mx0, padW);
        this.upY = upsample(height, my0, padH);
        this.downX = downsample(gridW, width);
        this.downY = downsample(gridH, height);
        this.affine = new double[batch][];
        this.window = new int[batch][];
        for (int b = 0; b < batch; b++) {
            // the reference's chain of coordinate changes, applied to G_inv in the same order
            double[][] g = Augment.mul(Augment.translate((mx0 - mx1) / 2.0, (my0 - my1) / 2.0), geometric[b]);
            g = Augment.mul(Augment.mul(Augment.scale(2, 2), g), Augment.scale(0.5, 0.5));
            g = Augment.mul(Augment.mul(Augment.translate(-0.5, -0.5), g), Augment.translate(0.5, 0.5));
            // normalised grid coordinates in, upsampled input pixels out (grid_sample, align_corners=False)
            double[][] toNorm = {{2.0 / gridW, 0, 1.0 / gridW - 1}, {0, 2.0 / gridH, 1.0 / gridH - 1}, {0, 0, 1}};
            double[][] fromNorm = {{upW / 2.0, 0, (upW - 1) / 2.0}, {0, upH / 2.0, (upH - 1) / 2.0}, {0, 0, 1}};
            double[][] normalised = Augment.mul(Augment.mul(Augment.scale(2.0 / upW, 2.0 / upH), g),
                    Augment.scale(gridW / 2.0, gridH / 2.0));
            double[][] a = Augment.mul(Augment.mul(fromNorm, normalised), toNorm);
            affine[b] = new double[] {a[0][0], a[0][1], a[0][2], a[1][0], a[1][1], a[1][2]};
            window[b] = window(affine[b]);
        }
    }

    /** The bounding box of the grid's taps (the map is affine: its corners bound it), within the upsampled image. */
    private int[] window(double[] a) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i : new int[] {0, gridH - 1}) {
            for (int j : new int[] {0, gridW - 1}) {
                double px = a[0] * j + a[1] * i + a[2];
                double py = a[3] * j + a[4] * i + a[5];
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
            }
        }
        int x0 = (int) Math.max(0, Math.floor(minX) - 1); // one spare pixel each side against rounding
        int x1 = (int) Math.min(upW, Math.floor(maxX) + 3);
        int y0 = (int) Math.max(0, Math.floor(minY) - 1);
        int y1 = (int) Math.min(upH, Math.floor(maxY) + 3);
        return new int[] {x0, Math.max(x0, x1), y0, Math.max(y0, y1)};
    }

    /** The reference clamps each margin to [0, size - 1] (reflection needs it) and rounds it up. */
    private static int margin(double v, int size) {
        double clamped = Math.min(Math.max(v, 0), size - 1);
        double r = Math.rint(clamped);
        return (int) (Math.abs(clamped - r) < 1e-6 ? r : Math.ceil(clamped));
    }

    private static double[] normalised(double[] f) {
        double s = 0;
        for (double v : f) {
            s += v;
        }
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i] / s;
        }
        return out;
    }

    /**
     * Reflection padding by {@code before} (to {@code padded} samples) then 2x upsampling: zero insertion,
     * the flipped filter times 2 (gain 4 over two axes), the output aligned as upfirdn2d's upsample2d.
     */
    private static Fir1d upsample(int n, int before, int padded) {
        int taps = FILTER.length / 2;
        int out = 2 * padded;
        int[] index = new int[out * taps];
        double[] weight = new double[out * taps];
        int lead = (FILTER.length + 1) / 2; // zeros before the first inserted sample (6 for 12 taps)
        for (int o = 0; o < out; o++) {
            int t = o * taps;
            for (int k = 0; k < FILTER.length; k++) {
                int z = o + k - lead; // position in the zero-inserted, unpadded-by-filter signal
                if (z < 0 || z % 2 != 0 || z / 2 >= padded) {
                    continue;
                }
                index[t] = Resample.reflect(z / 2 - before, n);
                weight[t] = 2 * FILTER[FILTER.length - 1 - k];
                t++;
            }
        }
        return new Fir1d(out, n, taps, index, weight);
    }

    /** The filter as a correlation (the reference's flip_filter), decimated 2x, cropped to {@code n} samples. */
    private static Fir1d downsample(int in, int n) {
        int taps = FILTER.length;
        int[] index = new int[n * taps];
        double[] weight = new double[n * taps];
        for (int o = 0; o < n; o++) {
            for (int k = 0; k < taps; k++) {
                index[o * taps + k] = 1 + 2 * o + k;
                weight[o * taps + k] = FILTER[k];
            }
        }
        return new Fir1d(n, in, taps, index, weight);
    }

    @Override
    public float[] apply(float[] in, int channels) {
        double[] rowsUp = new double[height * upW];
        double[] up = new double[upH * upW];
        double[] grid = new double[gridH * gridW];
        double[] rowsDown = new double[gridH * width];
        return Planes.each(in, channels, height * width, (b, x, out) -> {
            int[] w = window[b];
            upX.rows(x, height, rowsUp, w[0], w[1]);
            upY.cols(rowsUp, upW, up, w[2], w[3], w[0], w[1]);
            sample(affine[b], up, grid);
            downX.rows(grid, gridH, rowsDown);
            downY.cols(rowsDown, width, out);
        });
    }

    @Override
    public float[] adjoint(float[] g, int channels) {
        double[] rowsDown = new double[gridH * width];
        double[] grid = new double[gridH * gridW];
        double[] up = new double[upH * upW];
        double[] rowsUp = new double[height * upW];
        return Planes.each(g, channels, height * width, (b, gOut, x) -> {
            int[] w = window[b];
            downY.colsAdjoint(gOut, width, rowsDown);
            downX.rowsAdjoint(rowsDown, gridH, grid);
            sampleAdjoint(affine[b], w, grid, up);
            upY.colsAdjoint(up, upW, rowsUp, w[2], w[3], w[0], w[1]);
            upX.rowsAdjoint(rowsUp, height, x, w[0], w[1]);
        });
    }

    /** Bilinear sampling of the upsampled image at every grid pixel; taps outside it read zero. */
    private void sample(double[] a, double[] up, double[] grid) {
        int[] corner = new int[2];
        double[] w = new double[4];
        for (int i = 0; i < gridH; i++) {
            for (int j = 0; j < gridW; j++) {
                taps(a, i, j, corner, w);
                int x0 = corner[0];
                int y0 = corner[1];
                grid[i * gridW + j] = w[0] * at(up, y0, x0) + w[1] * at(up, y0, x0 + 1)
                        + w[2] * at(up, y0 + 1, x0) + w[3] * at(up, y0 + 1, x0 + 1);
            }
        }
    }

    /** Grid pixel (i, j)'s top-left tap (x0, y0) and the weights of (x0, y0), (x0+1, y0), (x0, y0+1), (x0+1, y0+1). */
    private static void taps(double[] a, int i, int j, int[] corner, double[] w) {
        double px = a[0] * j + a[1] * i + a[2];
        double py = a[3] * j + a[4] * i + a[5];
        int x0 = (int) Math.floor(px);
        int y0 = (int) Math.floor(py);
        double fx = px - x0;
        double fy = py - y0;
        corner[0] = x0;
        corner[1] = y0;
        w[0] = (1 - fy) * (1 - fx);
        w[1] = (1 - fy) * fx;
        w[2] = fy * (1 - fx);
        w[3] = fy * fx;
    }

    private double at(double[] up, int y, int x) {
        return y < 0 || y >= upH || x < 0 || x >= upW ? 0 : up[y * upW + x];
    }

    private void sampleAdjoint(double[] a, int[] window, double[] grid, double[] up) {
        for (int y = window[2]; y < window[3]; y++) {
            java.util.Arrays.fill(up, y * upW + window[0], y * upW + window[1], 0);
        }
        int[] corner = new int[2];
        double[] w = new double[4];
        for (int i = 0; i < gridH; i++) {
            for (int j = 0; j < gridW; j++) {
                double v = grid[i * gridW + j];
                if (v == 0) {
                    continue;
                }
                taps(a, i, j, corner, w);
                int x0 = corner[0];
                int y0 = corner[1];
                add(up, y0, x0, w[0] * v);
                add(up, y0, x0 + 1, w[1] * v);
                add(up, y0 + 1, x0, w[2] * v);
                add(up, y0 + 1, x0 + 1, w[3] * v);
            }
        }
    }

    private void add(double[] up, int y, int x, double v) {
        if (y >= 0 && y < upH && x >= 0 && x < upW) {
            up[y * upW + x] += v;
        }
    }
}
