package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Pair augmentation: one geometric transform for A and B, colour jitter on A only, a fixed draw count. */
class PairAugmentTest {
    static INDArray random(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, 3, 3, 16, 16).muli(2).subi(1);
    }

    @Test
    void geometryMovesAAndBTogetherAndColourTouchesAOnly() {
        INDArray x = random(11);
        PairAugment.Settings geometric = new PairAugment.Settings(true, 0.2, 10, 0.1, 0, 0, 0, 0);
        PairAugment.Pair p = PairAugment.apply(geometric, new Random(5), x, x.dup());
        assertEquals(0.0, p.a().sub(p.b()).amaxNumber().doubleValue(), 0, "the same transform for A and B");
        assertTrue(p.a().sub(x).amaxNumber().doubleValue() > 0.1, "and it moved the pixels");

        PairAugment.Settings colour = new PairAugment.Settings(false, 0, 0, 0, 0.2, 0.2, 0.2, 0.1);
        p = PairAugment.apply(colour, new Random(5), x, x.dup());
        assertEquals(0.0, p.b().sub(x).amaxNumber().doubleValue(), 1e-6, "B keeps its colours");
        assertTrue(p.a().sub(x).amaxNumber().doubleValue() > 0.01, "A is jittered");
    }

    /** [C, H, W] mirrored left-right. */
    static INDArray mirror(INDArray chw) {
        INDArray out = chw.dup();
        long w = chw.size(2);
        for (long x = 0; x < w; x++) {
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(x)).assign(chw.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(w - 1 - x)));
        }
        return out;
    }

    @Test
    void aFlipOnlyMirrorsExactlyAndNoneDrawsAsMuchAsAnyOtherSetting() {
        INDArray x = random(12);
        PairAugment.Settings flip = new PairAugment.Settings(true, 0, 0, 0, 0, 0, 0, 0);
        Random r = new Random(9);
        PairAugment.Pair p = PairAugment.apply(flip, r, x, x);
        Random replay = new Random(9);
        for (int i = 0; i < 3; i++) {
            boolean mirrored = replay.nextDouble() * 2 - 1 < 0;
            for (int k = 1; k < 9; k++) {
                replay.nextDouble();
            }
            INDArray in = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            INDArray out = p.a().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            INDArray want = mirrored ? mirror(in) : in;
            assertEquals(0.0, out.sub(want).amaxNumber().doubleValue(), 1e-6, "pair " + i + " mirrored " + mirrored);
        }
        // off: the arrays pass through, and the stream advances as with augmentation (resumes stay in step)
        Random a = new Random(3);
        Random b = new Random(3);
        PairAugment.Pair none = PairAugment.apply(PairAugment.Settings.NONE, a, x, x);
        assertSame(x, none.a());
        PairAugment.apply(flip, b, x, x);
        assertEquals(b.nextLong(), a.nextLong());
    }
}
