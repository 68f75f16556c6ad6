package io.ukiyoe.training;

import io.ukiyoe.data.Resample;

/**
 * The image-space stages that follow ADA's geometric and colour transforms in stylegan2-ada's
 * {@code AugmentPipe} ('f', 'n' and 'c' of its 'bgcfnc'): a per-sample filter that scales four frequency bands
 * (a bank built from the sym2 wavelet, applied separably with reflected borders), additive Gaussian noise,
 * and cutout (a rectangle of half the size set to zero). Each is affine in the pixels; {@link #adjoint} is the
 * transpose of the linear part (the noise adds nothing to it).
 */
final class ImageSpace {
    /** Daubechies' symlet 2 low-pass, 4 taps. */
    private static final double[] SYM2 = {
            -0.12940952255092145, 0.22414386804185735, 0.836516303737469, 0.48296291314469025};
    /** The expected power of each band in natural images (a 1/f spectrum), used to keep the total power. */
    private static final double[] EXPECTED_POWER = {10 / 13.0, 1 / 13.0, 1 / 13.0, 1 / 13.0};
    static final int BANDS = 4;
    /** Row i: the impulse response of band i (lowest first), 43 taps. */
    private static final double[][] BANK = bank();

    /** One sample's image-space draws: band gains (all 1: no filter), noise sigma (0: none), cutout centre. */
    record Params(double[] bandGains, double noiseSigma, boolean cutout, double cutoutX, double cutoutY) {
        static final Params IDENTITY = new Params(new double[] {1, 1, 1, 1}, 0, false, 0.5, 0.5);
    }

    private final int batch;
    private final int height;
    private final int width;
    private final Fir1d[] filterX;
    private final Fir1d[] filterY;
    private final float[] noise;
    private final float[] mask;

    /**
     * @param noiseField unit normal noise [B, C, H, W] (scaled by each sample's sigma), or null when no sample
     *                   has noise
     */
    ImageSpace(int height, int width, int channels, Params[] params, float[] noiseField, boolean filter) {
        this.batch = params.length;
        this.height = height;
        this.width = width;
        this.filterX = filter ? new Fir1d[batch] : null;
        this.filterY = filter ? new Fir1d[batch] : null;
        int plane = height * width;
        this.noise = noiseField == null ? null : new float[batch * channels * plane];
        this.mask = new float[batch * plane];
        for (int b = 0; b < batch; b++) {
            Params q = params[b];
            if (filter) {
                double[] h = filterOf(q.bandGains());
                filterX[b] = reflectedCorrelation(h, width);
                filterY[b] = reflectedCorrelation(h, height);
            }
            if (noise != null) {
                for (int i = b * channels * plane; i < (b + 1) * channels * plane; i++) {
                    noise[i] = (float) (noiseField[i] * q.noiseSigma());
                }
            }
            double size = q.cutout() ? 0.5 : 0;
            for (int y = 0; y < height; y++) {
                boolean outY = Math.abs((y + 0.5) / height - q.cutoutY()) >= size / 2;
                for (int x = 0; x < width; x++) {
                    boolean outX = Math.abs((x + 0.5) / width - q.cutoutX()) >= size / 2;
                    mask[b * plane + y * width + x] = outX || outY ? 1 : 0;
                }
            }
        }
    }

    /**
     * The reference's filter bank: band 0 is the impulse; each level zero-inserts the bank (doubling its scale),
     * convolves it with the low-pass's autocorrelation, and adds the high-pass's autocorrelation to band i.
     */
    private static double[][] bank() {
        double[] lo = SYM2;
        double[] hi = new double[lo.length];
        for (int i = 0; i < lo.length; i++) {
            hi[i] = (i % 2 == 0 ? 1 : -1) * lo[i];
        }
        double[] lo2 = scaled(convolve(lo, reversed(lo)), 0.5);
        double[] hi2 = scaled(convolve(hi, reversed(hi)), 0.5);
        double[][] bank = new double[BANDS][];
        for (int i = 0; i < BANDS; i++) {
            bank[i] = new double[] {i == 0 ? 1 : 0};
        }
        for (int level = 1; level < BANDS; level++) {
            for (int i = 0; i < BANDS; i++) {
                double[] z = new double[2 * bank[i].length - 1];
                for (int k = 0; k < bank[i].length; k++) {
                    z[2 * k] = bank[i][k];
                }
                bank[i] = convolve(z, lo2);
            }
            int start = (bank[level].length - hi2.length) / 2;
            for (int k = 0; k < hi2.length; k++) {
                bank[level][start + k] += hi2[k];
            }
        }
        return bank;
    }

    /** One sample's filter: each band's gain, the total power renormalised after each band as the reference does. */
    static double[] filterOf(double[] gains) {
        double[] g = {1, 1, 1, 1};
        for (int i = 0; i < BANDS; i++) {
            double[] t = {1, 1, 1, 1};
            t[i] = gains[i];
            double power = 0;
            for (int k = 0; k < BANDS; k++) {
                power += EXPECTED_POWER[k] * t[k] * t[k];
            }
            for (int k = 0; k < BANDS; k++) {
                g[k] *= t[k] / Math.sqrt(power);
            }
        }
        double[] h = new double[BANK[0].length];
        for (int i = 0; i < BANDS; i++) {
            for (int k = 0; k < h.length; k++) {
                h[k] += g[i] * BANK[i][k];
            }
        }
        return h;
    }

    /** Correlation with {@code h} centred on each sample, borders reflected (the reference's reflect pad). */
    private static Fir1d reflectedCorrelation(double[] h, int n) {
        int half = h.length / 2;
        int[] index = new int[n * h.length];
        double[] weight = new double[n * h.length];
        for (int o = 0; o < n; o++) {
            for (int k = 0; k < h.length; k++) {
                index[o * h.length + k] = Resample.reflect(o + k - half, n);
                weight[o * h.length + k] = h[k];
            }
        }
        return new Fir1d(n, n, h.length, index, weight);
    }

    float[] apply(float[] in, int channels) {
        int plane = height * width;
        float[] out = filterX == null ? in.clone() : filter(in, channels, false);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    float v = noise == null ? out[base + i] : out[base + i] + noise[base + i];
                    out[base + i] = v * mask[b * plane + i];
                }
            }
        }
        return out;
    }

    float[] adjoint(float[] g, int channels) {
        int plane = height * width;
        float[] masked = new float[g.length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    masked[base + i] = g[base + i] * mask[b * plane + i];
                }
            }
        }
        return filterX == null ? masked : filter(masked, channels, true);
    }

    private float[] filter(float[] in, int channels, boolean transpose) {
        double[] tmp = new double[height * width];
        return Planes.each(in, channels, height * width, (b, x, y) -> {
            if (transpose) {
                filterY[b].colsAdjoint(x, width, tmp);
                filterX[b].rowsAdjoint(tmp, height, y);
            } else {
                filterX[b].rows(x, height, tmp);
                filterY[b].cols(tmp, width, y);
            }
        });
    }

    private static double[] convolve(double[] a, double[] b) {
        double[] out = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i + j] += a[i] * b[j];
            }
        }
        return out;
    }

    private static double[] reversed(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[a.length - 1 - i];
        }
        return out;
    }

    private static double[] scaled(double[] a, double s) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * s;
        }
        return out;
    }
}
