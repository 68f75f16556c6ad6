package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.NdArrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AugmentTest {
    private static final double[][] I3 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    private static final double[][] I4 = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};

    private static INDArray ramp(int b, int r) {
        float[] v = new float[b * 3 * r * r];
        Random rnd = new Random(7);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return Nd4j.create(v, new long[] {b, 3, r, r}, DataType.FLOAT);
    }

    @Test
    void probabilityZeroIsTheIdentity() {
        INDArray x = ramp(2, 8);
        assertArrayEquals(NdArrays.floats(x), NdArrays.floats(Augment.apply(Augment.identity(2, 8), x)), 0f);
    }

    @Test
    void flipsQuarterTurnsAndIntegerShiftsAreExactPermutations() {
        int r = 6;
        INDArray x = ramp(1, r);
        INDArray flip = Augment.apply(Augment.fixed(1, r, new double[][] {{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, I4), x);
        INDArray turn = Augment.apply(Augment.fixed(1, r, new double[][] {{0, 1, 0}, {-1, 0, 0}, {0, 0, 1}}, I4), x);
        INDArray shift = Augment.apply(Augment.fixed(1, r, new double[][] {{1, 0, -2}, {0, 1, 0}, {0, 0, 1}}, I4), x);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    assertEquals(x.getFloat(0, c, i, r - 1 - j), flip.getFloat(0, c, i, j), 0f);
                    // output (i, j) reads input (row r-1-j, column i): a quarter turn
                    assertEquals(x.getFloat(0, c, r - 1 - j, i), turn.getFloat(0, c, i, j), 0f);
                    // shifted right by 2, reflected at the left border (column -1 reads 1, -2 reads 2)
                    assertEquals(x.getFloat(0, c, i, io.ukiyoe.data.Resample.reflect(j - 2, r)), shift.getFloat(0, c, i, j), 0f);
                }
            }
        }
        assertEquals(1, io.ukiyoe.data.Resample.reflect(-1, 6));
        assertEquals(4, io.ukiyoe.data.Resample.reflect(6, 6));
        assertEquals(0, io.ukiyoe.data.Resample.reflect(10, 6));
    }

    @Test
    void colourMatrixAndOffsetApplyPerPixel() {
        double[][] swapRedBlueAndBrighten = {{0, 0, 1, 0.5}, {0, 1, 0, 0.5}, {1, 0, 0, 0.5}, {0, 0, 0, 1}};
        INDArray x = ramp(1, 4);
        INDArray y = Augment.apply(Augment.fixed(1, 4, I3, swapRedBlueAndBrighten), x);
        assertEquals(x.getFloat(0, 2, 1, 3) + 0.5f, y.getFloat(0, 0, 1, 3), 1e-6f);
        assertEquals(x.getFloat(0, 1, 2, 0) + 0.5f, y.getFloat(0, 1, 2, 0), 1e-6f);
    }

    /**
     * The adjoint is exact: <A x, r> = <x, A^T r> for the linear part A x = aug(x) - aug(0), every transform on,
     * for each of the reference's pipelines (noise is in the offset; filter and cutout in the linear part).
     */
    @Test
    void adjointIsTheTransposeOfTheAugmentation() {
        int b = 2;
        int r = 24;
        for (Augment.Pipe pipe : Augment.Pipe.values()) {
            Augment.Plan plan = Augment.sample(new Random(3), b, r, 1.0, pipe);
            INDArray x = ramp(b, r);
            INDArray probe = ramp(b, r).mul(0.5).add(0.1);
            INDArray y = Augment.apply(plan, x);
            assertNotEquals(0.0, y.sub(x).norm2Number().doubleValue(), "p = 1 changes the images");
            INDArray linear = y.sub(Augment.apply(plan, x.mul(0)));
            double lhs = linear.mul(probe).sumNumber().doubleValue();
            double rhs = x.mul(Augment.adjoint(plan, probe)).sumNumber().doubleValue();
            assertEquals(lhs, rhs, 1e-4 * Math.max(1, Math.abs(lhs)), pipe.toString());
        }
    }

    @Test
    void adaControllerMovesTowardTheTarget() {
        double step = 8 * 4 / (100 * 1000.0);
        assertEquals(0.1 + step, Augment.adjust(0.1, 0.9, 0.6, 8, 4, 100), 1e-12, "D overfits: more augmentation");
        assertEquals(0.1 - step, Augment.adjust(0.1, 0.2, 0.6, 8, 4, 100), 1e-12);
        assertEquals(0.0, Augment.adjust(0.0, -1, 0.6, 8, 4, 100), "never below 0");
        assertEquals(1.0, Augment.adjust(1.0, 1, 0.6, 8, 4, 100), "never above 1");
    }

    @Test
    void sampledTransformsPreserveConstantImagesGeometrically() {
        // a constant image stays constant under the filtered warp: each polyphase half of the sym6 filter sums
        // to one half and the reflection padding covers the sampled pixels, except for the filter's outermost
        // taps (the reference's margin leaves them reaching zeros: ~1e-5; at 8 px its clamp to size - 1 more)
        Augment.Plan plan = Augment.sample(new Random(9), 3, 32, 1.0);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 3, 3, 32, 32);
        float[] warped = plan.warp().apply(NdArrays.floats(ones), 3);
        for (float v : warped) {
            assertEquals(1f, v, 1e-4f);
        }
        assertNotEquals(0.0, plan.warp().apply(NdArrays.floats(ramp(3, 32)), 3)[5] - ramp(3, 32).getFloat(5));
    }
}
