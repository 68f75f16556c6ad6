package io.ukiyoe.training;

import io.ukiyoe.core.io.NdArrays;
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
 * hue rotation (uniform) and saturation (log2-normal, sigma 1). {@link Params} holds one sample's draws;
 * {@link #geometric} and {@link #colour} turn them into the reference's matrices.
 *
 * <p>Every transform is linear in the pixels, so one sample's augmentation is y = C (S x) + c: S is the
 * reference's wavelet-filtered resampling ({@link WaveletWarp}: reflection pad, sym6 2x upsampling, bilinear
 * resampling, sym6 2x downsampling), and C, c are a 3x3 colour matrix and offset. A {@link Plan} holds those
 * for a batch; {@link #apply} runs it on arrays (reals and fakes for D) and {@link #adjoint} carries a gradient
 * back through it exactly (G's gradient through the augmented fakes), outside any graph. Because of the
 * colour offset the map is affine; its adjoint is that of the linear part. The reference's other pipelines
 * ({@link Pipe}: 'bgcf', 'bgcfn', 'bgcfnc') append its band filter, noise and cutout ({@link ImageSpace}).
 * Tested against stylegan2-ada-pytorch's {@code AugmentPipe} group by group ({@code AugmentReferenceTest}).
 * At p = 0 the plan is the identity, where the reference would still filter (to within ~1e-5).
 */
public final class Augment {
    private static final int CHANNELS = 3;

    /**
     * A batch's augmentation: the geometric {@code warp} (null: none) then, per sample b, the colour matrix
     * {@code color[9b..9b+8]} (row-major) and offset {@code offset[3b..3b+2]}.
     */
    public record Plan(int batch, int height, int width, Warp warp, float[] color, float[] offset, ImageSpace post) {
        Plan(int batch, int height, int width, Warp warp, float[] color, float[] offset) {
            this(batch, height, width, warp, color, offset, null);
        }
    }

    /**
     * Which of the reference's transform groups run (its {@code --augpipe}): 'bgc' (blit, geometric, colour) is
     * what stylegan2-ada trains with by default; 'f' adds the band filter, 'n' noise, 'c' cutout.
     */
    public enum Pipe {
        BGC(false, false, false), BGCF(true, false, false), BGCFN(true, true, false), BGCFNC(true, true, true);

        final boolean filter;
        final boolean noise;
        final boolean cutout;

        Pipe(boolean filter, boolean noise, boolean cutout) {
            this.filter = filter;
            this.noise = noise;
            this.cutout = cutout;
        }
    }

    /**
     * One sample's transforms as stylegan2-ada's {@code AugmentPipe} draws them; the identity values mean
     * "not applied". Rotations and hue in radians; translations in pixels (x, y).
     */
    public record Params(boolean xflip, int rotate90, double xintX, double xintY, double scale, double rotatePre,
                         double aniso, double rotatePost, double xfracX, double xfracY, double brightness,
                         double contrast, boolean lumaflip, double hue, double saturation) {
        public static final Params IDENTITY = new Params(false, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, false, 0, 1);
    }

    private Augment() {}

    /** The identity (p = 0). */
    public static Plan identity(int batch, int res) {
        Plan p = new Plan(batch, res, res, null, new float[batch * 9], new float[batch * 3]);
        for (int b = 0; b < batch; b++) {
            colour(eye(4), b, p.color(), p.offset());
        }
        return p;
    }

    /** Draws one batch's 'bgc' transforms with probability p each (p = 0 draws nothing from the stream). */
    public static Plan sample(Random rnd, int batch, int res, double p) {
        return sample(rnd, batch, res, p, Pipe.BGC);
    }

    /** Draws one batch's transforms of {@code pipe} with probability p each (p = 0 draws nothing). */
    public static Plan sample(Random rnd, int batch, int res, double p, Pipe pipe) {
        if (p <= 0) {
            return identity(batch, res);
        }
        double q = Math.min(p, 1);
        Params[] params = new Params[batch];
        ImageSpace.Params[] image = new ImageSpace.Params[batch];
        for (int b = 0; b < batch; b++) {
            params[b] = draw(rnd, res, res, q);
            image[b] = drawImageSpace(rnd, pipe, q);
        }
        Plan plan = plan(res, res, params, true);
        if (pipe == Pipe.BGC) {
            return plan;
        }
        float[] field = null;
        if (pipe.noise) {
            field = new float[batch * CHANNELS * res * res];
            for (int i = 0; i < field.length; i++) {
                field[i] = (float) rnd.nextGaussian();
            }
        }
        return withImageSpace(plan, new ImageSpace(res, res, CHANNELS, image, field, pipe.filter));
    }

    /** The 'f', 'n', 'c' draws of one sample (band gains log2-normal, sigma 1; noise sigma |N(0, 0.1)|). */
    private static ImageSpace.Params drawImageSpace(Random rnd, Pipe pipe, double p) {
        double[] gains = {1, 1, 1, 1};
        if (pipe.filter) {
            for (int i = 0; i < gains.length; i++) {
                gains[i] = rnd.nextDouble() < p ? Math.pow(2, rnd.nextGaussian()) : 1;
            }
        }
        double sigma = pipe.noise && rnd.nextDouble() < p ? Math.abs(rnd.nextGaussian()) * 0.1 : 0;
        boolean cutout = pipe.cutout && rnd.nextDouble() < p;
        double cx = cutout ? rnd.nextDouble() : 0.5;
        double cy = cutout ? rnd.nextDouble() : 0.5;
        return new ImageSpace.Params(gains, sigma, cutout, cx, cy);
    }

    /** {@code p} followed by the image-space stages {@code post}. */
    static Plan withImageSpace(Plan p, ImageSpace post) {
        return new Plan(p.batch(), p.height(), p.width(), p.warp(), p.color(), p.offset(), post);
    }

    /** One sample's draws, with the reference's distributions. */
    static Params draw(Random rnd, int height, int width, double p) {
        double pRot = 1 - Math.sqrt(1 - p); // P(pre or post rotation) = p
        boolean xflip = rnd.nextDouble() < p && rnd.nextBoolean();
        int rotate90 = rnd.nextDouble() < p ? rnd.nextInt(4) : 0;
        double xintX = 0;
        double xintY = 0;
        if (rnd.nextDouble() < p) {
            xintX = Math.rint((rnd.nextDouble() * 2 - 1) * 0.125 * width);
            xintY = Math.rint((rnd.nextDouble() * 2 - 1) * 0.125 * height);
        }
        double scale = rnd.nextDouble() < p ? Math.pow(2, rnd.nextGaussian() * 0.2) : 1;
        double rotatePre = rnd.nextDouble() < pRot ? (rnd.nextDouble() * 2 - 1) * Math.PI : 0;
        double aniso = rnd.nextDouble() < p ? Math.pow(2, rnd.nextGaussian() * 0.2) : 1;
        double rotatePost = rnd.nextDouble() < pRot ? (rnd.nextDouble() * 2 - 1) * Math.PI : 0;
        double xfracX = 0;
        double xfracY = 0;
        if (rnd.nextDouble() < p) {
            xfracX = rnd.nextGaussian() * 0.125 * width;
            xfracY = rnd.nextGaussian() * 0.125 * height;
        }
        double brightness = rnd.nextDouble() < p ? rnd.nextGaussian() * 0.2 : 0;
        double contrast = rnd.nextDouble() < p ? Math.pow(2, rnd.nextGaussian() * 0.5) : 1;
        boolean lumaflip = rnd.nextDouble() < p && rnd.nextBoolean();
        double hue = rnd.nextDouble() < p ? (rnd.nextDouble() * 2 - 1) * Math.PI : 0;
        double saturation = rnd.nextDouble() < p ? Math.pow(2, rnd.nextGaussian()) : 1;
        return new Params(xflip, rotate90, xintX, xintY, scale, rotatePre, aniso, rotatePost, xfracX, xfracY,
                brightness, contrast, lumaflip, hue, saturation);
    }

    /**
     * The plan of given per-sample transforms on [B, 3, H, W]. With {@code warp} every sample goes through the
     * filtered resampling, as the reference's does whenever its pipeline has a geometric transform (even one
     * that drew the identity); without it the geometric parameters are ignored (a colour-only pipeline).
     */
    static Plan plan(int height, int width, Params[] params, boolean warp) {
        int batch = params.length;
        double[][][] g = new double[batch][][];
        Plan p = new Plan(batch, height, width, null, new float[batch * 9], new float[batch * 3]);
        for (int b = 0; b < batch; b++) {
            g[b] = geometric(params[b]);
            colour(colour(params[b]), b, p.color(), p.offset());
        }
        return warp ? new Plan(batch, height, width, new WaveletWarp(height, width, g), p.color(), p.offset()) : p;
    }

    /** The reference's G_inv: output pixel -> input pixel, centred pixel coordinates. */
    static double[][] geometric(Params q) {
        double[][] g = eye(3);
        if (q.xflip()) {
            g = mul(g, scale(-1, 1));
        }
        g = mul(g, quarterTurns(q.rotate90()));
        g = mul(g, translate(-q.xintX(), -q.xintY()));
        g = mul(g, scale(1 / q.scale(), 1 / q.scale()));
        g = mul(g, rotate(q.rotatePre()));
        g = mul(g, scale(1 / q.aniso(), q.aniso()));
        g = mul(g, rotate(q.rotatePost()));
        return mul(g, translate(-q.xfracX(), -q.xfracY()));
    }

    /** rotate(k pi / 2) without cos/sin rounding. */
    private static double[][] quarterTurns(int k) {
        double[][] g = eye(3);
        for (int i = 0; i < Math.floorMod(k, 4); i++) {
            g = mul(g, new double[][] {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}});
        }
        return g;
    }

    /** The reference's colour matrix C (homogeneous RGB, applied as C . (r, g, b, 1)). */
    static double[][] colour(Params q) {
        double[][] c = eye(4);
        double[] v = {1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3), 0}; // luma axis
        double t = q.brightness();
        c = mul(new double[][] {{1, 0, 0, t}, {0, 1, 0, t}, {0, 0, 1, t}, {0, 0, 0, 1}}, c);
        double s = q.contrast();
        c = mul(new double[][] {{s, 0, 0, 0}, {0, s, 0, 0}, {0, 0, s, 0}, {0, 0, 0, 1}}, c);
        if (q.lumaflip()) {
            c = mul(minus(eye(4), times(outer(v), 2)), c); // Householder reflection
        }
        c = mul(rotateAround(v, q.hue()), c);
        double[][] vv = outer(v);
        return mul(plus(vv, times(minus(eye(4), vv), q.saturation())), c);
    }

    private static void colour(double[][] c, int b, float[] color, float[] offset) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                color[b * 9 + i * 3 + j] = (float) c[i][j];
            }
            offset[b * 3 + i] = (float) c[i][3];
        }
    }

    /**
     * The same geometric (3x3, output -> input pixel, centred) and colour (4x4) transform for every sample,
     * resampled bilinearly ({@link BilinearWarp}).
     */
    static Plan fixed(int batch, int res, double[][] geometric, double[][] colour4) {
        double[][][] g = new double[batch][][];
        double[][][] c = new double[batch][][];
        java.util.Arrays.fill(g, geometric);
        java.util.Arrays.fill(c, colour4);
        return of(res, g, c);
    }

    /** One geometric (3x3, output -> input pixel, centred) and colour (4x4) transform per sample, bilinear. */
    static Plan of(int res, double[][][] geometric, double[][][] colour4) {
        int batch = geometric.length;
        Plan p = new Plan(batch, res, res, new BilinearWarp(res, geometric), new float[batch * 9], new float[batch * 3]);
        for (int b = 0; b < batch; b++) {
            colour(colour4[b], b, p.color(), p.offset());
        }
        return p;
    }

    /** The same resampling as {@code p} with other colour transforms (4x4 per sample). */
    static Plan withColour(Plan p, double[][][] colour4) {
        Plan out = new Plan(p.batch(), p.height(), p.width(), p.warp(), new float[p.batch() * 9], new float[p.batch() * 3]);
        for (int b = 0; b < p.batch(); b++) {
            colour(colour4[b], b, out.color(), out.offset());
        }
        return out;
    }

    /** Applies a plan to an array [B, 3, H, W]. */
    public static INDArray apply(Plan plan, INDArray x) {
        check(plan, x);
        float[] in = NdArrays.floats(x);
        float[] geo = plan.warp() == null ? in : plan.warp().apply(in, CHANNELS);
        int plane = plan.height() * plan.width();
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
        if (plan.post() != null) {
            out = plan.post().apply(out, CHANNELS);
        }
        return Nd4j.create(out, x.shape(), DataType.FLOAT);
    }

    /**
     * The adjoint A^T g of a plan's linear map A (the gradient of any loss through the augmentation):
     * the image-space stages' transpose, the colour matrix transposed, then the warp's transpose.
     */
    public static INDArray adjoint(Plan plan, INDArray g) {
        check(plan, g);
        float[] up = plan.post() == null ? NdArrays.floats(g) : plan.post().adjoint(NdArrays.floats(g), CHANNELS);
        int plane = plan.height() * plan.width();
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
        float[] out = plan.warp() == null ? geo : plan.warp().adjoint(geo, CHANNELS);
        return Nd4j.create(out, g.shape(), DataType.FLOAT);
    }

    private static void check(Plan plan, INDArray x) {
        long[] want = {plan.batch(), CHANNELS, plan.height(), plan.width()};
        if (!java.util.Arrays.equals(want, x.shape())) {
            throw new IllegalArgumentException("augmentation plan for " + java.util.Arrays.toString(want)
                    + " applied to " + java.util.Arrays.toString(x.shape()));
        }
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
