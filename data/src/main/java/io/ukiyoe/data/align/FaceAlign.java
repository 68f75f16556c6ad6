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
        double[] box = bounds(quad);
        double minX = box[0];
        double minY = box[1];
        double maxX = box[2];
        double maxY = box[3];
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

    /** The bounding box of points: {min x, min y, max x, max y}. */
    static double[] bounds(double[][] points) {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : points) {
            b[0] = Math.min(b[0], p[0]);
            b[1] = Math.min(b[1], p[1]);
            b[2] = Math.max(b[2], p[0]);
            b[3] = Math.max(b[3], p[1]);
        }
        return b;
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
}
