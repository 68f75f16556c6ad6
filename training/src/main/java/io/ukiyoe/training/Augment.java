package io.ukiyoe.training;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.data.Resample;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ADA's augmentation pipeline ('bgc' of stylegan2-ada: blit, geometric, colour), each transform applied
 * to a sample with probability p (the rotations with 1 - sqrt(1 - p), as there are two):
 * x-flip, rotation by multiples of 90 degrees, integer translation (up to 1/8 of the size), isotropic
 * scale (log2-normal, sigma 0.2), rotation (uniform), anisotropic scale (sigma 0.2), fractional
 * translation (sigma 1/8), brightness (normal, sigma 0.2), contrast (log2-normal, sigma 0.5), luma flip,
 * hue rotation (uniform) and saturation (log2-normal, sigma 1).
 *
 * <p>Every transform is linear in the pixels, so one sample's augmentation is y = C (S x) + c: S resamples
 * each output pixel from four input pixels (bilinear, reflected at the borders: a simplification of ADA's
 * wavelet-filtered resampling, exact for flips, 90-degree rotations and integer shifts), and C, c are a
 * 3x3 colour matrix and offset. A {@link Plan} holds those numbers for a batch; {@link #apply} runs it on
 * arrays (reals and fakes for D) and {@link #adjoint} carries a gradient back through it exactly (G's
 * gradient through the augmented fakes): plain loops over four taps per pixel, with no per-step index
 * placeholders in a graph. Because of the colour offset the map is affine; its adjoint is that of the
 * linear part.
 */
public final class Augment {
    private static final int TAPS = 4;

    /**
     * A batch's augmentation: for output element e of the flattened [B, 3, R, R] array, taps
     * {@code index[4e..4e+3]} with weights {@code weight[4e..]}; colour matrix {@code color[b][3x3]} and
     * offset {@code offset[b][3]}.
     */
    public record Plan(int batch, int res, int[] index, float[] weight, float[] color, float[] offset) {}

    private Augment() {}

    /** The identity (p = 0). */
    public static Plan identity(int batch, int res) {
        double[][] colour = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        return fixed(batch, res, eye(3), colour);
    }

    /** Draws one batch's transforms with probability p each (p = 0 draws nothing from the stream). */
    public static Plan sample(Random rnd, int batch, int res, double p) {
        if (p <= 0) {
            return identity(batch, res);
        }
        int n = batch * 3 * res * res;
        int[] index = new int[n * TAPS];
        float[] weight = new float[n * TAPS];
        float[] color = new float[batch * 9];
        float[] offset = new float[batch * 3];
        double pRot = 1 - Math.sqrt(1 - Math.min(p, 1));
        for (int b = 0; b < batch; b++) {
            double[][] g = eye(3); // output pixel (centred coordinates) -> input pixel
            if (rnd.nextDouble() < p && rnd.nextBoolean()) {
                g = mul(g, new double[][] {{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
            }
            if (rnd.nextDouble() < p) {
                int k = rnd.nextInt(4); // exact quarter turns (no cos/sin rounding)
                for (int i = 0; i < k; i++) {
                    g = mul(g, new double[][] {{0, 1, 0}, {-1, 0, 0}, {0, 0, 1}});
                }
            }
            if (rnd.nextDouble() < p) {
                double tx = Math.round((rnd.nextDouble() * 2 - 1) * 0.125 * res);
                double ty = Math.round((rnd.nextDouble() * 2 - 1) * 0.125 * res);
                g = mul(g, translate(-tx, -ty));
            }
            if (rnd.nextDouble() < p) {
                double s = Math.pow(2, rnd.nextGaussian() * 0.2);
                g = mul(g, scale(1 / s, 1 / s));
            }
            if (rnd.nextDouble() < pRot) {
                g = mul(g, rotate(-(rnd.nextDouble() * 2 - 1) * Math.PI));
            }
            if (rnd.nextDouble() < p) {
                double s = Math.pow(2, rnd.nextGaussian() * 0.2);
                g = mul(g, scale(1 / s, s));
            }
            if (rnd.nextDouble() < pRot) {
                g = mul(g, rotate(-(rnd.nextDouble() * 2 - 1) * Math.PI));
            }
            if (rnd.nextDouble() < p) {
                g = mul(g, translate(-rnd.nextGaussian() * 0.125 * res, -rnd.nextGaussian() * 0.125 * res));
            }
            resample(g, b, res, index, weight);

            double[][] c = eye(4); // colour, homogeneous RGB
            double[] v = {1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3), 0}; // luma axis
            if (rnd.nextDouble() < p) {
                double t = rnd.nextGaussian() * 0.2;
                c = mul(new double[][] {{1, 0, 0, t}, {0, 1, 0, t}, {0, 0, 1, t}, {0, 0, 0, 1}}, c);
            }
            if (rnd.nextDouble() < p) {
                double s = Math.pow(2, rnd.nextGaussian() * 0.5);
                c = mul(new double[][] {{s, 0, 0, 0}, {0, s, 0, 0}, {0, 0, s, 0}, {0, 0, 0, 1}}, c);
            }
            if (rnd.nextDouble() < p && rnd.nextBoolean()) {
                c = mul(minus(eye(4), times(outer(v), 2)), c);
            }
            if (rnd.nextDouble() < p) {
                c = mul(rotateAround(v, (rnd.nextDouble() * 2 - 1) * Math.PI), c);
            }
            if (rnd.nextDouble() < p) {
                double s = Math.pow(2, rnd.nextGaussian());
                double[][] vv = outer(v);
                c = mul(plus(vv, times(minus(eye(4), vv), s)), c);
            }
            colour(c, b, color, offset);
        }
        return new Plan(batch, res, index, weight, color, offset);
    }

    private static void colour(double[][] c, int b, float[] color, float[] offset) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                color[b * 9 + i * 3 + j] = (float) c[i][j];
            }
            offset[b * 3 + i] = (float) c[i][3];
        }
    }

    /** The same geometric (3x3, output -> input pixel, centred) and colour (4x4) transform for every sample. */
    static Plan fixed(int batch, int res, double[][] geometric, double[][] colour4) {
        double[][][] g = new double[batch][][];
        double[][][] c = new double[batch][][];
        java.util.Arrays.fill(g, geometric);
        java.util.Arrays.fill(c, colour4);
        return of(res, g, c);
    }

    /** One geometric (3x3, output -> input pixel, centred) and colour (4x4) transform per sample. */
    static Plan of(int res, double[][][] geometric, double[][][] colour4) {
        int batch = geometric.length;
        int n = batch * 3 * res * res;
        Plan p = new Plan(batch, res, new int[n * TAPS], new float[n * TAPS], new float[batch * 9], new float[batch * 3]);
        for (int b = 0; b < batch; b++) {
            resample(geometric[b], b, res, p.index(), p.weight());
            colour(colour4[b], b, p.color(), p.offset());
        }
        return p;
    }

    /** The same resampling as {@code p} with other colour transforms (4x4 per sample). */
    static Plan withColour(Plan p, double[][][] colour4) {
        Plan out = new Plan(p.batch(), p.res(), p.index(), p.weight(), new float[p.batch() * 9], new float[p.batch() * 3]);
        for (int b = 0; b < p.batch(); b++) {
            colour(colour4[b], b, out.color(), out.offset());
        }
        return out;
    }

    /** Bilinear taps of every output pixel of sample b (all three channels). */
    private static void resample(double[][] g, int b, int res, int[] index, float[] weight) {
        double half = res / 2.0;
        for (int y = 0; y < res; y++) {
            for (int x = 0; x < res; x++) {
                double cx = x + 0.5 - half;
                double cy = y + 0.5 - half;
                double px = g[0][0] * cx + g[0][1] * cy + g[0][2] + half - 0.5;
                double py = g[1][0] * cx + g[1][1] * cy + g[1][2] + half - 0.5;
                // snap values within rounding error of an integer, so exact transforms stay exact
                double rx = Math.rint(px);
                double ry = Math.rint(py);
                px = Math.abs(px - rx) < 1e-9 ? rx : px;
                py = Math.abs(py - ry) < 1e-9 ? ry : py;
                int x0 = (int) Math.floor(px);
                int y0 = (int) Math.floor(py);
                double fx = px - x0;
                double fy = py - y0;
                int[] xs = {Resample.reflect(x0, res), Resample.reflect(x0 + 1, res)};
                int[] ys = {Resample.reflect(y0, res), Resample.reflect(y0 + 1, res)};
                double[] w = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
                for (int ch = 0; ch < 3; ch++) {
                    int plane = (b * 3 + ch) * res * res;
                    int e = (plane + y * res + x) * TAPS;
                    for (int t = 0; t < TAPS; t++) {
                        index[e + t] = plane + ys[t / 2] * res + xs[t % 2];
                        weight[e + t] = (float) w[t];
                    }
                }
            }
        }
    }

    /** Applies a plan to an array [B, 3, R, R]. */
    public static INDArray apply(Plan plan, INDArray x) {
        float[] in = NdArrays.floats(x);
        int plane = plan.res() * plan.res();
        float[] geo = new float[in.length];
        for (int e = 0; e < in.length; e++) {
            double s = 0;
            for (int t = 0; t < TAPS; t++) {
                s += plan.weight()[e * TAPS + t] * in[plan.index()[e * TAPS + t]];
            }
            geo[e] = (float) s;
        }
        float[] out = new float[in.length];
        for (int b = 0; b < plan.batch(); b++) {
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < plane; k++) {
                    double s = plan.offset()[b * 3 + i];
                    for (int j = 0; j < 3; j++) {
                        s += plan.color()[b * 9 + i * 3 + j] * geo[(b * 3 + j) * plane + k];
                    }
                    out[(b * 3 + i) * plane + k] = (float) s;
                }
            }
        }
        return Nd4j.create(out, x.shape(), DataType.FLOAT);
    }

    /**
     * The adjoint A^T g of a plan's linear map A (the gradient of any loss through the augmentation):
     * the colour matrix transposed, then every tap's weight scattered back to the pixel it read.
     */
    public static INDArray adjoint(Plan plan, INDArray g) {
        float[] up = NdArrays.floats(g);
        int plane = plan.res() * plan.res();
        float[] geo = new float[up.length];
        for (int b = 0; b < plan.batch(); b++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < plane; k++) {
                    double s = 0;
                    for (int i = 0; i < 3; i++) {
                        s += plan.color()[b * 9 + i * 3 + j] * up[(b * 3 + i) * plane + k];
                    }
                    geo[(b * 3 + j) * plane + k] = (float) s;
                }
            }
        }
        double[] out = new double[up.length];
        for (int e = 0; e < geo.length; e++) {
            for (int t = 0; t < TAPS; t++) {
                out[plan.index()[e * TAPS + t]] += plan.weight()[e * TAPS + t] * geo[e];
            }
        }
        float[] f = new float[out.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) out[i];
        }
        return Nd4j.create(f, g.shape(), DataType.FLOAT);
    }

    /**
     * ADA's p controller: every {@code interval} steps, p moves by batch x interval / (adaKimg x 1000)
     * toward more augmentation when the mean sign of D's real logits exceeds the target (D overfits),
     * less otherwise; p stays in [0, 1].
     */
    public static double adjust(double p, double meanSign, double target, int batch, int interval, double adaKimg) {
        double step = batch * (double) interval / (adaKimg * 1000);
        return Math.max(0, Math.min(1, p + Math.signum(meanSign - target) * step));
    }

    // ---- small 3x3 / 4x4 matrix helpers
    static double[][] eye(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    m[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return m;
    }

    static double[][] translate(double tx, double ty) {
        return new double[][] {{1, 0, tx}, {0, 1, ty}, {0, 0, 1}};
    }

    static double[][] scale(double sx, double sy) {
        return new double[][] {{sx, 0, 0}, {0, sy, 0}, {0, 0, 1}};
    }

    static double[][] rotate(double theta) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        return new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    }

    static double[][] outer(double[] v) {
        double[][] m = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                m[i][j] = v[i] * v[j];
            }
        }
        return m;
    }

    static double[][] plus(double[][] a, double[][] b) {
        double[][] m = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                m[i][j] = a[i][j] + b[i][j];
            }
        }
        return m;
    }

    static double[][] minus(double[][] a, double[][] b) {
        return plus(a, times(b, -1));
    }

    static double[][] times(double[][] a, double s) {
        double[][] m = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                m[i][j] = a[i][j] * s;
            }
        }
        return m;
    }

    /** Rotation by theta around the unit axis v (Rodrigues), homogeneous 4x4. */
    static double[][] rotateAround(double[] v, double theta) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        double x = v[0];
        double y = v[1];
        double z = v[2];
        double cc = 1 - c;
        return new double[][] {
                {x * x * cc + c, x * y * cc - z * s, x * z * cc + y * s, 0},
                {y * x * cc + z * s, y * y * cc + c, y * z * cc - x * s, 0},
                {z * x * cc - y * s, z * y * cc + x * s, z * z * cc + c, 0},
                {0, 0, 0, 1}};
    }
}
