package io.ukiyoe.graphs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Nd4j;

/** Each substituted kernel gives libnd4j's values to the bit, and torch's leaky ReLU semantics. */
class FastKernelsTest {
    private static final double SLOPE = 0.2;

    @BeforeAll
    static void pool() {
        SessionMemory.install();
    }

    @AfterEach
    void restore() {
        FastKernels.enabled = true;
    }

    /** Gaussians with the awkward values planted: signed zeros, denormal-sized and huge magnitudes. */
    private static INDArray values(int n, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        float[] odd = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE, 3e38f, -3e38f};
        System.arraycopy(odd, 0, v, 0, odd.length);
        return Nd4j.createFromArray(v).reshape(4, n / 4);
    }

    private static void assertBits(INDArray expected, INDArray actual, String what) {
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.getFloat(i)), Float.floatToRawIntBits(actual.getFloat(i)),
                    what + " at " + i + ": " + expected.getFloat(i) + " vs " + actual.getFloat(i));
        }
    }

    @Test
    void leakyReluAndItsGradientAreLibnd4jsToTheBit() {
        INDArray x = values(4000, 3);
        INDArray g = values(4000, 5);
        INDArray own = x.ulike();
        Nd4j.exec(new LeakyReLU(x, own, SLOPE));
        FastKernels.Kernel fast = FastKernels.of(new LeakyReLU(x, x.ulike(), SLOPE));
        assertNotNull(fast);
        INDArray out = x.ulike();
        fast.run(new INDArray[] {x}, new INDArray[] {out});
        assertBits(own, out, "leaky ReLU");

        INDArray ownGrad = Nd4j.exec(new LeakyReLUBp(x, g, x.ulike(), SLOPE))[0];
        FastKernels.Kernel fastGrad = FastKernels.of(new LeakyReLUBp(x, g, x.ulike(), SLOPE));
        assertNotNull(fastGrad);
        INDArray grad = x.ulike();
        fastGrad.run(new INDArray[] {x, g}, new INDArray[] {grad});
        assertBits(ownGrad, grad, "leaky ReLU gradient");
        float a = (float) SLOPE;
        for (long i = 0; i < x.length(); i++) {        // torch: x > 0 ? g : g * negval, at 0 too
            float xi = x.getFloat(i), gi = g.getFloat(i);
            assertEquals(xi > 0 ? xi : xi * a, out.getFloat(i), 0.0, "torch value at " + i);
            assertEquals(xi > 0 ? gi : gi * a, grad.getFloat(i), 0.0, "torch gradient at " + i);
        }
    }

    @Test
    void aPlannedGradientThroughLeakyReluUsesTheKernelsAndGivesTheSameBits() {
        SameDiff sd = Graphs.create();
        SDVariable x = sd.var("x", values(4000, 7));
        SDVariable r = sd.constant(values(4000, 11));
        SDVariable y = sd.nn().leakyRelu(x, SLOPE);
        sd.identity("loss", y.mul(r).add(y.mul(y)).sum()).markAsLoss();
        long before = FastKernels.RUNS.get();
        Map<String, INDArray> fast = Backprop.run(sd, Map.of(), java.util.List.of("loss"), java.util.List.of("x"))
                .getGradients();
        INDArray fastGrad = fast.get("x").dup();
        assertEquals(before + 2, FastKernels.RUNS.get());        // leakyrelu forward, lrelu_bp backward
        FastKernels.enabled = false;
        SameDiff again = Graphs.create();             // plans keep their kernels: a new graph gets libnd4j's
        SDVariable x2 = again.var("x", values(4000, 7));
        SDVariable y2 = again.nn().leakyRelu(x2, SLOPE);
        again.identity("loss", y2.mul(again.constant(values(4000, 11))).add(y2.mul(y2)).sum()).markAsLoss();
        INDArray ownGrad = Backprop.run(again, Map.of(), java.util.List.of("loss"), java.util.List.of("x"))
                .getGradients().get("x");
        assertBits(ownGrad, fastGrad, "gradient");
        assertTrue(fastGrad.sumNumber().doubleValue() != 0);
    }

    @Test
    void slopesOutsideZeroToOneKeepLibnd4jsKernel() {
        INDArray x = values(8, 1);
        assertEquals(null, FastKernels.of(new LeakyReLU(x, x.ulike(), 1.5)));
        FastKernels.enabled = false;
        assertEquals(null, FastKernels.of(new LeakyReLU(x, x.ulike(), SLOPE)));
    }
}
