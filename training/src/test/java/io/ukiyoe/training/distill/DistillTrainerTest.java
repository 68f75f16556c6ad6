package io.ukiyoe.training.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.pickle.StateDicts;
import io.ukiyoe.graphs.pix2pixhd.DiscriminatorConfig;
import io.ukiyoe.graphs.pix2pixhd.GeneratorConfig;
import io.ukiyoe.training.PairAugment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.JsonNode;

/**
 * The distillation trainer's first step on the pix2pixHD fixtures (augmentation off): every loss term
 * as PyTorch computed it, and Adam's first update of G and D made from PyTorch's gradients.
 */
class DistillTrainerTest {
    static final double LR = 2e-4;

    static LinkedHashMap<String, Tensor> stateDict(String file) {
        return StateDicts.canonical(StateDicts.load(Fixtures.file("p2p/" + file)));
    }

    @Test
    void oneStepMatchesThePix2PixHDFixturesLossesAndUpdatesBothNetworksWithAdam() {
        LinkedHashMap<String, Tensor> g = stateDict("tiny_net_G_global.pth");
        LinkedHashMap<String, Tensor> d = stateDict("tiny_net_D.pth");
        var settings = new DistillTrainer.Settings(LR, 0.5, 1, 1, 1, 10, 0, PairAugment.Settings.NONE, 7);
        DistillTrainer t = new DistillTrainer(GeneratorConfig.infer(g), g, DiscriminatorConfig.infer(d), d, null, settings);
        var pairs = Nd4j.concat(1, Fixtures.npy("p2p/tiny_A.npy"), Fixtures.npy("p2p/tiny_B.npy"));
        DistillTrainer.StepLosses l = t.step(pairs);

        JsonNode ref = Fixtures.json("p2p/tiny_losses.json");
        assertEquals(List.of("loss_G_GAN", "loss_G_GAN_Feat", "loss_G", "loss_D_real", "loss_D_fake", "loss_D"),
                List.copyOf(l.losses().keySet()));
        l.losses().forEach((k, v) -> {
            double e = ref.get(k).asDouble();
            assertEquals(e, v, 1e-4 * Math.max(1, Math.abs(e)), k);
        });
        assertEquals(LR, l.lr(), 0);

        DistillTrainer.State st = t.state();
        assertFirstAdamStep(g, st.g(), Npy.readNpz(Fixtures.file("p2p/tiny_grads_G_global.npz")), "G");
        assertFirstAdamStep(d, st.d(), Npy.readNpz(Fixtures.file("p2p/tiny_grads_D.npz")), "D");
        assertEquals(1, st.adamG().steps());
        assertEquals(1, st.adamD().steps());
    }

    /**
     * Adam's first step moves each weight by lr * g / (|g| + eps) (bias corrections cancel): where the
     * reference gradient is clearly non-zero that is lr * sign(g), which only the right gradient gives.
     */
    private static void assertFirstAdamStep(Map<String, Tensor> before, Map<String, Tensor> after, Map<String, Tensor> grads,
                                            String what) {
        int checked = 0;
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            String k = e.getKey().replace('.', '/');
            float[] g = e.getValue().data();
            float[] p0 = before.get(k).data();
            float[] p1 = after.get(k).data();
            double max = 0;
            for (float x : g) {
                max = Math.max(max, Math.abs(x));
            }
            for (int i = 0; i < g.length; i++) {
                if (Math.abs(g[i]) > 1e-2 * max && max > 1e-6) {
                    double expected = p0[i] - LR * Math.signum(g[i]);
                    assertEquals(expected, p1[i], 2e-6 * LR + 1e-7, what + " " + k + "[" + i + "]");
                    checked++;
                }
            }
        }
        assertTrue(checked > 1000, what + ": only " + checked + " weights checked");
    }

    @Test
    void aLocalStudentTrainsOnlyItsEnhancerForNiterFixGlobalEpochsThenAllWithAFreshAdam() {
        GeneratorConfig gc = new GeneratorConfig(3, 3, 2, 1, 0, 1, 0);
        DiscriminatorConfig dc = new DiscriminatorConfig(6, 2, 1, 1, true);
        var g = io.ukiyoe.graphs.cyclegan.NormalInit.init(gc.expectedShapes(), 1);
        var settings = new DistillTrainer.Settings(LR, 0.5, 3, 0, 1, 10, 0, PairAugment.Settings.NONE, 7).fixingGlobalFor(1);
        DistillTrainer t = new DistillTrainer(gc, g, dc, io.ukiyoe.graphs.cyclegan.NormalInit.init(dc.expectedShapes(), 2),
                null, settings);
        Nd4j.getRandom().setSeed(3);
        var pairs = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 6, 8, 8).muli(2).subi(1);
        t.step(pairs);
        DistillTrainer.State one = t.state();
        one.g().forEach((k, v) -> assertEquals(!k.startsWith("model/"), !java.util.Arrays.equals(g.get(k).data(), v.data()),
                "after the fixed epoch, " + k + (k.startsWith("model/") ? " unchanged" : " trained")));
        assertEquals(1, one.adamG().steps());
        t.step(pairs);
        DistillTrainer.State two = t.state();
        two.g().forEach((k, v) -> assertTrue(!java.util.Arrays.equals(one.g().get(k).data(), v.data()), k + " trained"));
        assertEquals(1, two.adamG().steps(), "a fresh Adam over all of G");
        assertEquals(gc.expectedShapes().keySet(), two.adamG().m().keySet());
        assertEquals(2, two.adamD().steps());
    }

    @Test
    void learningRateIsConstantForNiterEpochsThenFallsLinearlyToZero() {
        var s = new DistillTrainer.Settings(1, 0.5, 2, 4, 10, 10, 0, PairAugment.Settings.NONE, 1);
        assertEquals(60, s.totalSteps());
        // epochs 1-3 at lr (upstream lowers it after each epoch past niter), then 3/4, 2/4, 1/4
        double[] perEpoch = {1, 1, 1, 0.75, 0.5, 0.25};
        for (int e = 0; e < 6; e++) {
            assertEquals(perEpoch[e], s.lrFactor(e * 10L), 1e-12, "epoch " + (e + 1));
            assertEquals(perEpoch[e], s.lrFactor(e * 10L + 9), 1e-12, "epoch " + (e + 1));
        }
    }
}
