package io.ukiyoe.training.cyclegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.cyclegan.PatchDiscriminatorConfig;
import io.ukiyoe.graphs.pix2pixhd.GlobalGeneratorConfig;
import io.ukiyoe.training.cyclegan.CycleGanNets.Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CycleGanTrainerTest {
    private static INDArray batch(Random r, long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    @Test
    void poolPassesThroughUntilFullThenSwapsHalfTheTime() {
        ImagePool off = new ImagePool(0);
        INDArray x = batch(new Random(1), 2, 1, 2, 2);
        assertSame(x, off.query(x, new Random(2)));
        ImagePool pool = new ImagePool(3);
        Random r = new Random(5);
        List<INDArray> seen = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // 4 images fill the 3 slots (the 4th already may swap)
            INDArray b = batch(r, 2, 1, 2, 2);
            seen.add(b);
            INDArray shown = pool.query(b, new Random(9));
            if (i == 0) {
                assertEquals(b, shown, "a filling pool passes fakes through");
            }
        }
        assertEquals(3, pool.contents().size());
        int swapped = 0;
        Random draw = new Random(11);
        for (int i = 0; i < 200; i++) {
            INDArray b = batch(r, 1, 1, 2, 2);
            INDArray shown = pool.query(b, draw);
            if (!shown.equals(b)) {
                swapped++;
            }
        }
        assertTrue(swapped > 70 && swapped < 130, "about half the fakes are swapped for stored ones: " + swapped);
    }

    @Test
    void learningRateIsConstantThenDecaysLinearly() {
        CycleGanTrainer.Settings s = new CycleGanTrainer.Settings(Lambdas.DEFAULT, 2e-4, 0.5, 50, 2, 3, 10, 0, 1);
        assertEquals(50, s.totalSteps());
        assertEquals(1.0, s.lrFactor(0));
        assertEquals(1.0, s.lrFactor(19));
        assertEquals(0.75, s.lrFactor(20), 1e-12);   // epoch 3: 1 - 1/4
        assertEquals(0.25, s.lrFactor(49), 1e-12);   // epoch 5, the last: 1 - 3/4
    }

    /**
     * A state restored continues exactly as the trainer it was taken from (pools, crops, random stream,
     * Adam moments, lr decay): the same trainer is rewound, since each new trainer builds its graphs anew
     * (the fresh-process case is the kill -9 test of the command).
     */
    @Test
    void restoredStateContinuesExactly() {
        // one step per epoch: the lr decays from step 1; a pool of 2 filled by step 0's batch of 2 draws from
        // step 1 on; 12 px crops of 16 px batches
        CycleGanNets start = CycleGanNets.init(GlobalGeneratorConfig.of(3, 3, 2, 2, 0), new PatchDiscriminatorConfig(3, 2, 1), 3);
        CycleGanTrainer.Settings s = new CycleGanTrainer.Settings(Lambdas.DEFAULT, 1e-3, 0.5, 2, 1, 2, 1, 12, 7);
        Random data = new Random(4);
        List<INDArray[]> batches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batches.add(new INDArray[] {batch(data, 2, 3, 16, 16), batch(data, 2, 3, 16, 16)});
        }
        CycleGanTrainer t = new CycleGanTrainer(start, s);
        CycleGanTrainer.State mid = null;
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i == 1) {
                mid = t.state();
            }
            losses.add(t.step(batches.get(i)[0], batches.get(i)[1]).losses().get("loss_G"));
        }
        CycleGanNets end = t.nets();
        assertNotEquals(start.get(Net.G_A).get("model/1/weight"), end.get(Net.G_A).get("model/1/weight"));
        t.restore(mid);
        for (int i = 1; i < 3; i++) {
            CycleGanTrainer.StepLosses l = t.step(batches.get(i)[0], batches.get(i)[1]);
            assertEquals(losses.get(i), l.losses().get("loss_G"), 0.0, "step " + i);
            if (i == 2) {
                assertEquals(1e-3 * (1 - 2.0 / 3), l.lr(), 1e-12);
            }
        }
        for (Net n : Net.values()) {
            end.get(n).forEach((k, v) -> assertEquals(v, t.nets().get(n).get(k), n + " " + k));
        }
    }
}
