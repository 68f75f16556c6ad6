package io.ukiyoe.data;

/**
 * How much two images of the same latent and noise share their structure: Pearson correlation of
 * area-downsampled copies (16 and 32 px) and SSIM of the luminance at 32 px (7x7 Gaussian window,
 * sigma 1.5, images in [0, 1]).
 */
public final class Structure {
    private Structure() {}

    /** Area-average downsampling of a planar [3, n, n] image to [3, m, m] (n a multiple of m). */
    public static float[] downsample(float[] chw, int n, int m) {
        if (m >= n) {
            return chw.clone();
        }
        int f = n / m;
        float[] out = new float[3 * m * m];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < m; y++) {
                for (int x = 0; x < m; x++) {
                    double s = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            s += chw[(c * n + y * f + dy) * n + x * f + dx];
                        }
                    }
                    out[(c * m + y) * m + x] = (float) (s / (f * f));
                }
            }
        }
        return out;
    }

    public static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i] - ma;
            double y = b[i] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return saa == 0 || sbb == 0 ? (saa == sbb ? 1 : 0) : sab / Math.sqrt(saa * sbb);
    }

    /** SSIM of two [3, n, n] images in [-1, 1] on their luminance. */
    public static double ssim(float[] a, float[] b, int n) {
        float[] la = luminance(a, n);
        float[] lb = luminance(b, n);
        double[] w = new double[7];
        double ws = 0;
        for (int i = 0; i < 7; i++) {
            w[i] = Math.exp(-(i - 3) * (i - 3) / (2 * 1.5 * 1.5));
            ws += w[i];
        }
        double c1 = 0.01 * 0.01;
        double c2 = 0.03 * 0.03;
        double total = 0;
        int count = 0;
        for (int y = 3; y < n - 3; y++) {
            for (int x = 3; x < n - 3; x++) {
                double mx = 0;
                double my = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int dy = -3; dy <= 3; dy++) {
                    for (int dx = -3; dx <= 3; dx++) {
                        double k = w[dy + 3] * w[dx + 3] / (ws * ws);
                        double p = la[(y + dy) * n + x + dx];
                        double q = lb[(y + dy) * n + x + dx];
                        mx += k * p;
                        my += k * q;
                        sxx += k * p * p;
                        syy += k * q * q;
                        sxy += k * p * q;
                    }
                }
                double vx = sxx - mx * mx;
                double vy = syy - my * my;
                double cxy = sxy - mx * my;
                total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                count++;
            }
        }
        return count == 0 ? 1 : total / count;
    }

    public static float[] luminance(float[] chw, int n) {
        float[] l = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            double r = (chw[i] + 1) / 2;
            double g = (chw[n * n + i] + 1) / 2;
            double b = (chw[2 * n * n + i] + 1) / 2;
            l[i] = (float) Math.max(0, Math.min(1, 0.299 * r + 0.587 * g + 0.114 * b));
        }
        return l;
    }
}
