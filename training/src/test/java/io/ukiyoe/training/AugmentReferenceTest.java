package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Npy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ADA against stylegan2-ada-pytorch's {@code AugmentPipe} (fixture {@code ada/augment_pipe.npz}, README beside
 * it): for each transform group alone at p = 1 (the twelve of 'bgc' and the band filter, noise and cutout), and for the whole 'bgc' pipeline on a non-square batch, the
 * same per-sample parameters give the same images, and the adjoint gives the reference's autograd gradient of
 * sum(augment(x) * probe).
 */
class AugmentReferenceTest {
    /** Geometric outputs and gradients (float32 reference, pixel values ~N(0, 1)); colour is tighter. */
    private static final double GEOMETRIC_TOL = 1e-4;
    private static final double COLOUR_TOL = 1e-5;
    private static Map<String, Npy.Doubles> fx;

    @BeforeAll
    static void load() throws Exception {
        fx = Npy.readNpzDoubles(Path.of(AugmentReferenceTest.class.getResource("/ada/augment_pipe.npz").toURI()));
    }

    /** Where each group's recorded values go among {@link Augment.Params}' fields (in declaration order). */
    private static final Map<String, int[]> SLOTS = Map.ofEntries(
            Map.entry("xflip", new int[] {0}), Map.entry("rotate90", new int[] {1}), Map.entry("xint", new int[] {2, 3}),
            Map.entry("scale", new int[] {4}), Map.entry("rotate", new int[] {5, 7}), Map.entry("aniso", new int[] {6}),
            Map.entry("xfrac", new int[] {8, 9}), Map.entry("brightness", new int[] {10}),
            Map.entry("contrast", new int[] {11}), Map.entry("lumaflip", new int[] {12}), Map.entry("hue", new int[] {13}),
            Map.entry("saturation", new int[] {14}));

    private static Augment.Params params(double[] f) {
        return new Augment.Params(f[0] != 0, (int) f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
                f[12] != 0, f[13], f[14]);
    }

    private static final List<String> GEOMETRIC = List.of("xflip", "rotate90", "xint", "scale", "rotate", "aniso", "xfrac");
    private static final List<String> COLOUR = List.of("brightness", "contrast", "lumaflip", "hue", "saturation");

    private static INDArray array(String key) {
        Npy.Doubles d = fx.get(key);
        float[] f = new float[d.data().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d.data()[i];
        }
        return Nd4j.create(f, d.shape(), DataType.FLOAT);
    }

    /** The plan of a case: each listed group's recorded parameters, the others the identity. */
    private static Augment.Plan plan(String name, List<String> groups, INDArray x) {
        int batch = (int) x.size(0);
        Augment.Params[] params = new Augment.Params[batch];
        for (int b = 0; b < batch; b++) {
            double[] f = {0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1}; // the identity
            for (String g : groups) {
                int[] slots = SLOTS.get(g);
                for (int k = 0; k < slots.length; k++) {
                    f[slots[k]] = fx.get(name + "." + g).data()[slots.length * b + k];
                }
            }
            params[b] = params(f);
        }
        boolean warp = groups.stream().anyMatch(GEOMETRIC::contains);
        return Augment.plan((int) x.size(2), (int) x.size(3), params, warp);
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static void check(String name, List<String> groups, String xKey, String probeKey, double tol) {
        INDArray x = array(xKey);
        compare(name, plan(name, groups, x), x, probeKey, tol);
    }

    private static void compare(String name, Augment.Plan plan, INDArray x, String probeKey, double tol) {
        INDArray want = array(name + ".out");
        double out = maxDiff(Augment.apply(plan, x), want);
        assertTrue(out <= tol, name + ": max |ours - AugmentPipe| = " + out);
        assertTrue(maxDiff(want, x) > 100 * tol || name.equals("xflip"), name + ": the transform changes the images");
        double grad = maxDiff(Augment.adjoint(plan, array(probeKey)), array(name + ".grad"));
        assertTrue(grad <= tol, name + ": max |adjoint - autograd| = " + grad);
    }

    @Test
    void everyGeometricGroupMatchesTheReference() {
        for (String g : GEOMETRIC) {
            check(g, List.of(g), "x", "probe", GEOMETRIC_TOL);
        }
    }

    @Test
    void everyColourGroupMatchesTheReference() {
        for (String g : COLOUR) {
            check(g, List.of(g), "x", "probe", COLOUR_TOL);
        }
    }

    /** The image-space groups ('f', 'n', 'c' of 'bgcfnc'), each alone after an identity geometric/colour stage. */
    @Test
    void everyImageSpaceGroupMatchesTheReference() {
        for (String g : List.of("imgfilter", "noise", "cutout")) {
            INDArray x = array("x");
            int batch = (int) x.size(0);
            ImageSpace.Params[] image = new ImageSpace.Params[batch];
            double[] v = fx.get(g + "." + g).data();
            for (int b = 0; b < batch; b++) {
                ImageSpace.Params q = ImageSpace.Params.IDENTITY;
                image[b] = switch (g) {
                    case "imgfilter" -> new ImageSpace.Params(java.util.Arrays.copyOfRange(v, 4 * b, 4 * b + 4), 0, false, 0.5, 0.5);
                    case "noise" -> new ImageSpace.Params(q.bandGains(), v[b], false, 0.5, 0.5);
                    default -> new ImageSpace.Params(q.bandGains(), 0, true, v[2 * b], v[2 * b + 1]);
                };
            }
            float[] field = g.equals("noise") ? NdArrays.floats(array("noise.noise_field")) : null;
            Augment.Params[] identity = new Augment.Params[batch];
            java.util.Arrays.fill(identity, Augment.Params.IDENTITY);
            Augment.Plan plan = Augment.withImageSpace(Augment.plan((int) x.size(2), (int) x.size(3), identity, false),
                    new ImageSpace((int) x.size(2), (int) x.size(3), 3, image, field, g.equals("imgfilter")));
            compare(g, plan, x, "probe", COLOUR_TOL);
        }
    }

    /** All of 'bgc' at once on a 24 x 40 batch: margins taken over the batch, H != W. */
    @Test
    void theWholeBgcPipelineMatchesOnANonSquareBatch() {
        List<String> all = new java.util.ArrayList<>(GEOMETRIC);
        all.addAll(COLOUR);
        check("bgc", all, "bgc.x", "bgc.probe", GEOMETRIC_TOL);
    }
}
