package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Npy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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

    /** How a group's recorded parameters set sample b's {@link Augment.Params}. */
    private record Group(String name, boolean geometric, BiFunction<double[], Integer, Augment.Params> set) {}

    private static Augment.Params with(Augment.Params q, String group, double[] v, int b) {
        return switch (group) {
            case "xflip" -> new Augment.Params(v[b] != 0, q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "rotate90" -> new Augment.Params(q.xflip(), (int) v[b], q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "xint" -> new Augment.Params(q.xflip(), q.rotate90(), v[2 * b], v[2 * b + 1], q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "scale" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), v[b], q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "rotate" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), v[2 * b], q.aniso(), v[2 * b + 1], q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "aniso" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), v[b], q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "xfrac" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), v[2 * b], v[2 * b + 1], q.brightness(), q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "brightness" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), v[b], q.contrast(), q.lumaflip(), q.hue(), q.saturation());
            case "contrast" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), v[b], q.lumaflip(), q.hue(), q.saturation());
            case "lumaflip" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), v[b] != 0, q.hue(), q.saturation());
            case "hue" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), v[b], q.saturation());
            case "saturation" -> new Augment.Params(q.xflip(), q.rotate90(), q.xintX(), q.xintY(), q.scale(), q.rotatePre(), q.aniso(), q.rotatePost(), q.xfracX(), q.xfracY(), q.brightness(), q.contrast(), q.lumaflip(), q.hue(), v[b]);
            default -> throw new IllegalArgumentException(group);
        };
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
            Augment.Params q = Augment.Params.IDENTITY;
            for (String g : groups) {
                q = with(q, g, fx.get(name + "." + g).data(), b);
            }
            params[b] = q;
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
