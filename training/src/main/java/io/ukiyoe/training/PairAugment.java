package io.ukiyoe.training;

import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.NonNegative;
import io.ukiyoe.core.config.Schema.Range;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Augmentation of aligned pairs (pix2pixHD students): one random geometric transform per pair applied
 * to the input A and the target B alike (horizontal flip, zoom in, rotation, translation; bilinear,
 * reflected at the borders, through {@link Augment}'s resampler), and a colour jitter (brightness,
 * contrast, saturation, hue) on A only, so the student meets inputs that are not perfectly aligned
 * generated faces. All amounts 0 and {@code flip} false: the pairs pass unchanged.
 */
public final class PairAugment {
    /** How much of each transform; each is drawn uniformly in its range per pair. */
    public record Settings(
            @Default("true") boolean flip,                        // mirror the pair with probability 1/2
            @Default("0.1") @Range(min = 0, max = 1) double zoom, // zoom in by up to this fraction (a random crop, resized back)
            @Default("5") @Range(min = 0, max = 180) double rotateDegrees, // rotate by up to +-this many degrees
            @Default("0.03") @Range(min = 0, max = 0.5) double translate, // shift by up to +-this fraction of the size
            @Default("0.1") @NonNegative double brightness,       // A only: add up to +-this (images in [-1, 1])
            @Default("0.1") @Range(min = 0, max = 1) double contrast, // A only: scale by 1 +- up to this
            @Default("0.1") @Range(min = 0, max = 1) double saturation, // A only: saturation times 1 +- up to this
            @Default("0.02") @Range(min = 0, max = 1) double hue) { // A only: hue rotation by up to +-this x 180 degrees

        /** No augmentation at all. */
        public static final Settings NONE = new Settings(false, 0, 0, 0, 0, 0, 0, 0);

        public boolean any() {
            return flip || zoom > 0 || rotateDegrees > 0 || translate > 0 || brightness > 0 || contrast > 0
                    || saturation > 0 || hue > 0;
        }
    }

    /** An augmented batch pair. */
    public record Pair(INDArray a, INDArray b) {}

    private PairAugment() {}

    /**
     * Augments batches {@code a} [N, 3, R, R] and {@code b} (same shape); draws a fixed count of numbers
     * per pair from {@code rnd} whatever the settings, so a resumed run's stream stays in step.
     */
    public static Pair apply(Settings s, Random rnd, INDArray a, INDArray b) {
        int n = (int) a.size(0);
        int res = (int) a.size(2);
        if (a.size(3) != res || !java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("pairs must be square and of one shape, got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        double[][][] geo = new double[n][][];
        double[][][] colourA = new double[n][][];
        double[][][] colourB = new double[n][][];
        for (int i = 0; i < n; i++) {
            double[] u = new double[9];
            for (int k = 0; k < u.length; k++) {
                u[k] = rnd.nextDouble() * 2 - 1; // in [-1, 1)
            }
            geo[i] = geometric(s, u, res);
            colourA[i] = colour(s, u);
            colourB[i] = Augment.eye(4);
        }
        if (!s.any()) {
            return new Pair(a, b);
        }
        Augment.Plan forB = Augment.of(res, geo, colourB);
        return new Pair(Augment.apply(Augment.withColour(forB, colourA), a), Augment.apply(forB, b));
    }

    /** Output pixel -> input pixel (centred coordinates): flip, zoom, rotation, translation. */
    private static double[][] geometric(Settings s, double[] u, int res) {
        double[][] g = Augment.eye(3);
        if (s.flip() && u[0] < 0) {
            g = Augment.mul(g, Augment.scale(-1, 1));
        }
        double zoom = 1 + s.zoom() * (u[1] + 1) / 2;
        g = Augment.mul(g, Augment.scale(1 / zoom, 1 / zoom));
        g = Augment.mul(g, Augment.rotate(Math.toRadians(s.rotateDegrees() * u[2])));
        return Augment.mul(g, Augment.translate(s.translate() * res * u[3], s.translate() * res * u[4]));
    }

    /** A's colour jitter as a homogeneous 4x4 on RGB: brightness, contrast, saturation, hue. */
    private static double[][] colour(Settings s, double[] u) {
        double[] luma = {1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3), 0};
        double t = s.brightness() * u[5];
        double[][] c = {{1, 0, 0, t}, {0, 1, 0, t}, {0, 0, 1, t}, {0, 0, 0, 1}};
        double k = 1 + s.contrast() * u[6];
        c = Augment.mul(new double[][] {{k, 0, 0, 0}, {0, k, 0, 0}, {0, 0, k, 0}, {0, 0, 0, 1}}, c);
        double sat = 1 + s.saturation() * u[7];
        double[][] vv = Augment.outer(luma);
        c = Augment.mul(Augment.plus(vv, Augment.times(Augment.minus(Augment.eye(4), vv), sat)), c);
        return Augment.mul(Augment.rotateAround(luma, s.hue() * Math.PI * u[8]), c);
    }
}
