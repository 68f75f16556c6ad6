package io.ukiyoe.data.align;

import io.ukiyoe.data.Resample;
import java.awt.image.BufferedImage;

/**
 * FFHQ face alignment (the recipe of the FFHQ dataset script): eye centres and mouth corners give
 * an oriented square (centre moved 0.1 towards the mouth, side max(2 x eye distance, 1.8 x
 * eye-to-mouth)); very large faces are shrunk first, the image is cropped with a border, padded
 * with blurred reflections and the median colour where the square leaves it, sampled at 4x the
 * output size and downsampled with Lanczos.
 */
public final class FaceAlign {
    private FaceAlign() {}

    /** Pixel coordinates of the four points the recipe uses; "left" is image-left. */
    public record Landmarks(double[] eyeLeft, double[] eyeRight, double[] mouthLeft, double[] mouthRight) {
        /** Swaps left and right where they are given person-left first. */
        public Landmarks imageLeftFirst() {
            double[] el = eyeLeft;
            double[] er = eyeRight;
            double[] ml = mouthLeft;
            double[] mr = mouthRight;
            if (el[0] > er[0]) {
                double[] t = el;
                el = er;
                er = t;
            }
            if (ml[0] > mr[0]) {
                double[] t = ml;
                ml = mr;
                mr = t;
            }
            return new Landmarks(el, er, ml, mr);
        }
    }

    /** The oriented square: upper-left corner, the half-side vectors x (right) and y (down), its side. */
    public record Quad(double[] c, double[] x, double[] y, double size) {
        double[] ul() {
            return new double[] {c[0] - x[0] - y[0], c[1] - x[1] - y[1]};
        }

        /** Where a source point lands in an output of {@code out} pixels (pixel-index coordinates). */
        public double[] project(double[] p, int out) {
            double[] ul = ul();
            double dx = p[0] - ul[0];
            double dy = p[1] - ul[1];
            double xx = x[0] * x[0] + x[1] * x[1];
            double a = (dx * x[0] + dy * x[1]) / (2 * xx);
            double b = (dx * y[0] + dy * y[1]) / (2 * xx);
            return new double[] {a * out - 0.5, b * out - 0.5};
        }
    }

    public static Quad quad(Landmarks lm) {
        double[] eyeAvg = mid(lm.eyeLeft(), lm.eyeRight());
        double[] e2e = sub(lm.eyeRight(), lm.eyeLeft());
        double[] mouthAvg = mid(lm.mouthLeft(), lm.mouthRight());
        double[] e2m = sub(mouthAvg, eyeAvg);
        double[] x = {e2e[0] + e2m[1], e2e[1] - e2m[0]};
        double len = Math.hypot(x[0], x[1]);
        double scale = Math.max(2.0 * Math.hypot(e2e[0], e2e[1]), 1.8 * Math.hypot(e2m[0], e2m[1])) / len;
        x = new double[] {x[0] * scale, x[1] * scale};
        double[] y = {-x[1], x[0]};
        double[] c = {eyeAvg[0] + 0.1 * e2m[0], eyeAvg[1] + 0.1 * e2m[1]};
        return new Quad(c, x, y, 2 * Math.hypot(x[0], x[1]));
    }

    /** Fraction of the quad's area that lies inside a w x h image (sampled on a grid). */
    public static double insideFraction(Quad q, int w, int h) {
        int n = 32;
        int inside = 0;
        double[] ul = q.ul();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double a = (i + 0.5) / n;
                double b = (j + 0.5) / n;
                double px = ul[0] + 2 * q.x()[0] * a + 2 * q.y()[0] * b;
                double py = ul[1] + 2 * q.x()[1] * a + 2 * q.y()[1] * b;
                if (px >= 0 && py >= 0 && px < w && py < h) {
                    inside++;
                }
            }
        }
        return inside / (double) (n * n);
    }

    /** Aligns one face to {@code size} x {@code size} (transform at 4x the size, then Lanczos down). */
    public static BufferedImage align(BufferedImage src, Landmarks lm, int size) {
        Quad q = quad(lm.imageLeftFirst());
        Planes img = Planes.of(src);
        double[][] quad = corners(q);
        double qsize = q.size();
        // shrink very large faces first
        int shrink = (int) Math.floor(qsize / size * 0.5);
        if (shrink > 1) {
            int w = (int) Math.rint(img.w / (double) shrink);
            int h = (int) Math.rint(img.h / (double) shrink);
            img = img.resize(w, h);
            scale(quad, 1.0 / shrink);
            qsize /= shrink;
        }
        // crop
        int border = (int) Math.max(Math.rint(qsize * 0.1), 3);
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] p : quad) {
            minX = Math.min(minX, p[0]);
            minY = Math.min(minY, p[1]);
            maxX = Math.max(maxX, p[0]);
            maxY = Math.max(maxY, p[1]);
        }
        int c0 = Math.max((int) Math.floor(minX) - border, 0);
        int c1 = Math.max((int) Math.floor(minY) - border, 0);
        int c2 = Math.min((int) Math.ceil(maxX) + border, img.w);
        int c3 = Math.min((int) Math.ceil(maxY) + border, img.h);
        if (c2 - c0 < img.w || c3 - c1 < img.h) {
            img = img.crop(c0, c1, c2, c3);
            shift(quad, -c0, -c1);
            minX -= c0;
            maxX -= c0;
            minY -= c1;
            maxY -= c1;
        }
        // pad with blurred reflections where the square leaves the image
        int pl = Math.max(-(int) Math.floor(minX) + border, 0);
        int pt = Math.max(-(int) Math.floor(minY) + border, 0);
        int pr = Math.max((int) Math.ceil(maxX) - img.w + border, 0);
        int pb = Math.max((int) Math.ceil(maxY) - img.h + border, 0);
        if (Math.max(Math.max(pl, pt), Math.max(pr, pb)) > border - 4) {
            int p = (int) Math.rint(qsize * 0.3);
            pl = Math.max(pl, p);
            pt = Math.max(pt, p);
            pr = Math.max(pr, p);
            pb = Math.max(pb, p);
            img = img.reflectPadBlend(pl, pt, pr, pb, qsize);
            shift(quad, pl, pt);
        }
        // sample the square at 4x, then downsample
        int t = size * 4;
        Planes big = img.sampleQuad(quad[0], sub(quad[3], quad[0]), sub(quad[1], quad[0]), t);
        return big.resize(size, size).toImage();
    }

    static double[][] corners(Quad q) {
        double[] c = q.c();
        double[] x = q.x();
        double[] y = q.y();
        return new double[][] {
            {c[0] - x[0] - y[0], c[1] - x[1] - y[1]},   // upper left
            {c[0] - x[0] + y[0], c[1] - x[1] + y[1]},   // lower left
            {c[0] + x[0] + y[0], c[1] + x[1] + y[1]},   // lower right
            {c[0] + x[0] - y[0], c[1] + x[1] - y[1]}};  // upper right
    }

    private static void scale(double[][] q, double s) {
        for (double[] p : q) {
            p[0] *= s;
            p[1] *= s;
        }
    }

    private static void shift(double[][] q, double dx, double dy) {
        for (double[] p : q) {
            p[0] += dx;
            p[1] += dy;
        }
    }

    static double[] mid(double[] a, double[] b) {
        return new double[] {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2};
    }

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1]};
    }

    /** An RGB image as float planes (0..255), with the operations the recipe needs. */
    static final class Planes {
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
}
