package io.ukiyoe.data.align;

import io.ukiyoe.data.Resample;
import java.awt.image.BufferedImage;

/** An RGB image as float planes (0..255), with the operations the recipe needs. */
final class Planes {
    final int w;
    final int h;
    final float[][] c;

    Planes(int w, int h, float[][] c) {
        this.w = w;
        this.h = h;
        this.c = c;
    }

    static Planes of(BufferedImage img) {
        return new Planes(img.getWidth(), img.getHeight(), io.ukiyoe.data.Resample.rgbPlanes(img));
    }

    BufferedImage toImage() {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            out.setRGB(i % w, i / w, (b8(c[0][i]) << 16) | (b8(c[1][i]) << 8) | b8(c[2][i]));
        }
        return out;
    }

    private static int b8(float v) {
        return (int) Math.max(0, Math.min(255, Math.rint(v)));
    }

    Planes resize(int nw, int nh) {
        float[][] o = new float[3][];
        for (int k = 0; k < 3; k++) {
            o[k] = Resample.resize(c[k], w, h, nw, nh);
        }
        return new Planes(nw, nh, o);
    }

    Planes crop(int x0, int y0, int x1, int y1) {
        int nw = x1 - x0;
        int nh = y1 - y0;
        float[][] o = new float[3][nw * nh];
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < nh; y++) {
                System.arraycopy(c[k], (y + y0) * w + x0, o[k], y * nw, nw);
            }
        }
        return new Planes(nw, nh, o);
    }

    /** numpy 'reflect' padding (edge not repeated), then the FFHQ blur and median blend towards the pad. */
    Planes reflectPadBlend(int pl, int pt, int pr, int pb, double qsize) {
        int nw = w + pl + pr;
        int nh = h + pt + pb;
        float[][] o = new float[3][nw * nh];
        for (int y = 0; y < nh; y++) {
            int sy = io.ukiyoe.data.Resample.reflect(y - pt, h);
            for (int x = 0; x < nw; x++) {
                int sx = io.ukiyoe.data.Resample.reflect(x - pl, w);
                for (int k = 0; k < 3; k++) {
                    o[k][y * nw + x] = c[k][sy * w + sx];
                }
            }
        }
        float[] mask = new float[nw * nh];
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                double mx = 1 - Math.min(x / (double) pl, (nw - 1 - x) / (double) pr);
                double my = 1 - Math.min(y / (double) pt, (nh - 1 - y) / (double) pb);
                mask[y * nw + x] = (float) Math.max(mx, my);
            }
        }
        double sigma = qsize * 0.02;
        for (int k = 0; k < 3; k++) {
            float[] blur = gaussian(o[k], nw, nh, sigma);
            float median = median(o[k]);
            for (int i = 0; i < o[k].length; i++) {
                float m = mask[i];
                o[k][i] += (blur[i] - o[k][i]) * clamp01(3 * m + 1);
                o[k][i] += (median - o[k][i]) * clamp01(m);
                o[k][i] = Math.max(0, Math.min(255, Math.round(o[k][i])));
            }
        }
        return new Planes(nw, nh, o);
    }

    private static float clamp01(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    static float median(float[] v) {
        int[] hist = new int[256];
        for (float f : v) {
            hist[(int) Math.max(0, Math.min(255, f))]++;
        }
        int half = v.length / 2;
        int acc = 0;
        for (int i = 0; i < 256; i++) {
            acc += hist[i];
            if (acc > half) {
                return i;
            }
        }
        return 255;
    }

    static float[] gaussian(float[] src, int w, int h, double sigma) {
        int r = Math.max(1, (int) Math.ceil(sigma * 4));
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[w * h];
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = 0;
                for (int i = -r; i <= r; i++) {
                    a += k[i + r] * src[y * w + io.ukiyoe.data.Resample.reflect(x + i, w)];
                }
                tmp[y * w + x] = (float) a;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = 0;
                for (int i = -r; i <= r; i++) {
                    a += k[i + r] * tmp[io.ukiyoe.data.Resample.reflect(y + i, h) * w + x];
                }
                out[y * w + x] = (float) a;
            }
        }
        return out;
    }

    /**
     * t x t samples of the parallelogram ul + u * ex + v * ey (bilinear), at pixel centres:
     * output (i, j) reads ul + ex (i + 0.5) / t + ey (j + 0.5) / t.
     */
    Planes sampleQuad(double[] ul, double[] ex, double[] ey, int t) {
        float[][] o = new float[3][t * t];
        for (int j = 0; j < t; j++) {
            for (int i = 0; i < t; i++) {
                double a = (i + 0.5) / t;
                double b = (j + 0.5) / t;
                double sx = ul[0] + ex[0] * a + ey[0] * b;
                double sy = ul[1] + ex[1] * a + ey[1] * b;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                for (int k = 0; k < 3; k++) {
                    double v = (1 - fx) * (1 - fy) * at(k, x0, y0) + fx * (1 - fy) * at(k, x0 + 1, y0)
                            + (1 - fx) * fy * at(k, x0, y0 + 1) + fx * fy * at(k, x0 + 1, y0 + 1);
                    o[k][j * t + i] = (float) v;
                }
            }
        }
        return new Planes(t, t, o);
    }

    private float at(int k, int x, int y) {
        if (x < 0 || y < 0 || x >= w || y >= h) {
            return 0; // PIL fills outside with black
        }
        return c[k][y * w + x];
    }
}
