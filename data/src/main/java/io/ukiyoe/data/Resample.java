package io.ukiyoe.data;

import java.awt.image.BufferedImage;

/**
 * High-quality resizing of RGB images to a square float image in [-1, 1]: centre crop (or pad) to a
 * square, then a separable Lanczos-3 filter widened by the scale factor when shrinking
 * (antialiased, as PIL's LANCZOS), never nearest-neighbour.
 */
public final class Resample {
    /** Mirror padding without repeating the edge (index -1 reads 1, n reads n - 2), any distance away. */
    public static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** How a non-square image becomes square. */
    public enum Fit { CROP, PAD }

    private Resample() {}

    /** Planar RGB floats [3, res, res] in [-1, 1] ({@code x / 127.5 - 1}). */
    public static float[] toSquare(BufferedImage img, int res, Fit fit) {
        int w = img.getWidth();
        int h = img.getHeight();
        int side = fit == Fit.CROP ? Math.min(w, h) : Math.max(w, h);
        int x0 = (w - side) / 2;
        int y0 = (h - side) / 2;
        float[][] planes = new float[3][side * side];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            int sy = y - y0;
            if (sy < 0 || sy >= side) {
                continue;
            }
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int sx = x - x0;
                if (sx < 0 || sx >= side) {
                    continue;
                }
                int p = row[x];
                planes[0][sy * side + sx] = (p >> 16) & 0xff;
                planes[1][sy * side + sx] = (p >> 8) & 0xff;
                planes[2][sy * side + sx] = p & 0xff;
            }
        }
        float[] out = new float[3 * res * res];
        for (int c = 0; c < 3; c++) {
            float[] r = side == res ? planes[c] : resize(planes[c], side, side, res, res);
            for (int i = 0; i < res * res; i++) {
                out[c * res * res + i] = Math.max(0, Math.min(255, r[i])) / 127.5f - 1f;
            }
        }
        return out;
    }

    /** Separable Lanczos-3 resize of one plane. */
    public static float[] resize(float[] src, int w, int h, int outW, int outH) {
        float[] tmp = new float[outW * h];
        Kernel kx = new Kernel(w, outW);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < outW; x++) {
                double acc = 0;
                for (int k = 0; k < kx.count[x]; k++) {
                    acc += kx.weights[x][k] * src[y * w + kx.start[x] + k];
                }
                tmp[y * outW + x] = (float) acc;
            }
        }
        float[] out = new float[outW * outH];
        Kernel ky = new Kernel(h, outH);
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                double acc = 0;
                for (int k = 0; k < ky.count[y]; k++) {
                    acc += ky.weights[y][k] * tmp[(ky.start[y] + k) * outW + x];
                }
                out[y * outW + x] = (float) acc;
            }
        }
        return out;
    }

    /** Per-output-pixel Lanczos-3 taps, normalised to sum 1, clamped to the image. */
    private static final class Kernel {
        final int[] start;
        final int[] count;
        final double[][] weights;

        Kernel(int in, int out) {
            double scale = in / (double) out;
            double support = 3 * Math.max(scale, 1);
            double stretch = Math.max(scale, 1);
            start = new int[out];
            count = new int[out];
            weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(in, (int) Math.ceil(centre + support));
                double[] wts = new double[hi - lo];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    double v = lanczos((j + 0.5 - centre) / stretch);
                    wts[j - lo] = v;
                    sum += v;
                }
                for (int k = 0; k < wts.length; k++) {
                    wts[k] /= sum;
                }
                start[i] = lo;
                count[i] = wts.length;
                weights[i] = wts;
            }
        }

        static double lanczos(double x) {
            if (x == 0) {
                return 1;
            }
            if (Math.abs(x) >= 3) {
                return 0;
            }
            double px = Math.PI * x;
            return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
        }
    }

    /** The image's R, G and B planes as floats in [0, 255], row-major [H * W] each. */
    public static float[][] rgbPlanes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[][] c = new float[3][w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                c[0][y * w + x] = (row[x] >> 16) & 0xff;
                c[1][y * w + x] = (row[x] >> 8) & 0xff;
                c[2][y * w + x] = row[x] & 0xff;
            }
        }
        return c;
    }
}
