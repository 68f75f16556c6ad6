package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.data.ImageDataset;
import io.ukiyoe.data.Resample;
import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.data.synth.SynthSet;
import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerCoreTest {
    @TempDir
    Path dir;

    private static final StyleGanConfig TINY = StyleGanConfig.of(16, 16, 16, 2, Map.of(4, 16, 8, 16, 16, 8));
    private static final TrainSettings SETTINGS = TrainSettings.of(4, 0.002, 1, 2, 10, 0.05, 0.9, 5);

    /** Runs {@code steps} steps on synthetic 16 px faces (batch 4), {@code before} called with each step's index first. */
    private java.util.List<TrainerCore.StepLosses> run(TrainerCore t, int steps, java.util.function.IntConsumer before)
            throws Exception {
        Path faces = dir.resolve("faces");
        if (!java.nio.file.Files.exists(faces)) {
            SynthSet.write(SynthFace.Domain.PHOTO, 24, 16, 3, faces, i -> { });
        }
        java.util.List<TrainerCore.StepLosses> losses = new java.util.ArrayList<>();
        try (ImageDataset ds = ImageDataset.open(faces, new ImageDataset.Options(16, Resample.Fit.CROP, true));
             BatchLoader loader = new BatchLoader(ds, 4, 5, new BatchLoader.Position(0, 0), 2)) {
            for (int i = 0; i < steps; i++) {
                before.accept(i);
                losses.add(t.step(loader.next()));
            }
        }
        return losses;
    }

    @Test
    void stepsRunFrozenTensorsStayBitIdenticalAndTheRestMoves() throws Exception {
        StyleGanModel start = Init.random(TINY, 11, true);
        // freeze every generator layer at 4 px and the mapping network
        java.util.function.Predicate<String> frozen = k -> k.startsWith("mapping/") || k.startsWith("synthesis/b4/");
        TrainerCore t = new TrainerCore(start, SETTINGS, frozen);
        java.util.List<TrainerCore.StepLosses> losses = run(t, 4, i -> { });
        for (int i = 0; i < 4; i++) {
            TrainerCore.StepLosses l = losses.get(i);
            assertTrue(Double.isFinite(l.lossD()) && Double.isFinite(l.lossG()), l.toString());
            if (i % 2 == 0) {
                assertTrue(Double.isFinite(l.r1()), "lazy R1 every 2 steps");
            }
        }
        assertEquals(4, t.steps());
        StyleGanModel after = t.model(false);
        StyleGanModel ema = t.model(true);
        start.tensors().forEach((k, v) -> {
            if (frozen.test(k) || k.endsWith("noise_const") || k.equals("mapping/w_avg")) {
                assertEquals(v, after.tensor(k), k + " must stay bit-identical");
                assertEquals(v, ema.tensor(k), k + " (EMA) must stay bit-identical");
            }
        });
        assertNotEquals(start.tensor("synthesis/b16/conv1/weight"), after.tensor("synthesis/b16/conv1/weight"));
        assertNotEquals(start.tensor("disc/b16/conv0/weight"), after.tensor("disc/b16/conv0/weight"));
        assertNotEquals(after.tensor("synthesis/b16/conv1/weight"), ema.tensor("synthesis/b16/conv1/weight"));
    }

    /** The trainer updates its parameters in place: states, models and the start model must not move with it. */
    @Test
    void statesAndModelsAreSnapshotsNotViewsOfTheTrainer() throws Exception {
        StyleGanModel start = Init.random(TINY, 11, true);
        TrainerCore t = new TrainerCore(start, SETTINGS, k -> false);
        TrainerCore.State[] st = new TrainerCore.State[1];
        StyleGanModel[] taken = new StyleGanModel[2];
        Map<String, float[]> saved = new java.util.HashMap<>();
        run(t, 3, i -> {
            if (i == 1) {            // after one step: take a state and both models, and remember their values
                st[0] = t.state();
                taken[0] = t.model(false);
                taken[1] = t.model(true);
                st[0].g().forEach((k, v) -> saved.put("g " + k, v.data().clone()));
                st[0].gEma().forEach((k, v) -> saved.put("ema " + k, v.data().clone()));
                st[0].d().forEach((k, v) -> saved.put("d " + k, v.data().clone()));
            }
        });
        st[0].g().forEach((k, v) -> assertTrue(java.util.Arrays.equals(saved.get("g " + k), v.data()), "state's G " + k));
        st[0].gEma().forEach((k, v) -> assertTrue(java.util.Arrays.equals(saved.get("ema " + k), v.data()), "state's EMA " + k));
        st[0].d().forEach((k, v) -> assertTrue(java.util.Arrays.equals(saved.get("d " + k), v.data()), "state's D " + k));
        st[0].g().forEach((k, v) -> assertEquals(v, taken[0].tensor(k), "model(false) " + k));
        st[0].gEma().forEach((k, v) -> assertEquals(v, taken[1].tensor(k), "model(true) " + k));
        assertNotEquals(st[0].g().get("synthesis/b16/conv1/weight"), t.state().g().get("synthesis/b16/conv1/weight"),
                "the trainer itself moved on");
        Init.random(TINY, 11, true).tensors().forEach((k, v) -> assertEquals(v, start.tensor(k), "start model " + k));
    }

    private StyleGanModel[] train(StyleGanModel start, TrainSettings settings, int steps,
                                  java.util.List<TrainerCore.StepLosses> losses) throws Exception {
        TrainerCore t = new TrainerCore(start, settings, k -> false);
        losses.addAll(run(t, steps, i -> { }));
        return new StyleGanModel[] {t.model(false), t.model(true)};
    }

    private static double maxRelDiff(StyleGanModel a, StyleGanModel b) {
        double worst = 0;
        for (var e : a.tensors().entrySet()) {
            float[] x = e.getValue().data();
            float[] y = b.tensor(e.getKey()).data();
            double scale = 1e-12;
            double diff = 0;
            for (int i = 0; i < x.length; i++) {
                scale = Math.max(scale, Math.abs(x[i]));
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }

    /**
     * With p = 0 the augmented path (G's gradient as D's input gradient carried back through the
     * augmentation's adjoint) must train exactly like the plain path (D inside G's graph).
     */
    @Test
    void augmentationAtProbabilityZeroTrainsLikeNoAugmentation() throws Exception {
        StyleGanModel start = Init.random(TINY, 11, true);
        TrainSettings plain = SETTINGS;
        TrainSettings fixedZero = plain.withAugment(
                new TrainConfig.Augmentation(TrainConfig.AugmentMode.FIXED, 0, 0.6, 4, 500, Augment.Pipe.BGC));
        java.util.List<TrainerCore.StepLosses> la = new java.util.ArrayList<>();
        java.util.List<TrainerCore.StepLosses> lb = new java.util.ArrayList<>();
        StyleGanModel a = train(start, plain, 3, la)[0];
        StyleGanModel b = train(start, fixedZero, 3, lb)[0];
        for (int i = 0; i < 3; i++) {
            assertEquals(la.get(i).lossG(), lb.get(i).lossG(), 1e-5, "loss_G at step " + i);
        }
        double d = maxRelDiff(a, b);
        assertTrue(d < 1e-4, "weights differ by " + d + " of their scale");
    }

    @Test
    void adaMovesPAndPathLengthRegularisationRuns() throws Exception {
        StyleGanModel start = Init.random(TINY, 11, true);
        double adaKimg = 0.1; // p moves 4 x 4 / 100 = 0.16 per adjustment
        TrainSettings s = SETTINGS
                .withPathLength(2, 2, 2, 0.01)
                .withAugment(new TrainConfig.Augmentation(TrainConfig.AugmentMode.ADA, 0.5, 0.6, 4, adaKimg, Augment.Pipe.BGC));
        java.util.List<TrainerCore.StepLosses> losses = new java.util.ArrayList<>();
        StyleGanModel[] out = train(start, s, 4, losses);
        for (int i = 0; i < 4; i++) {
            TrainerCore.StepLosses l = losses.get(i);
            assertTrue(Double.isFinite(l.lossD()) && Double.isFinite(l.lossG()), l.toString());
            assertEquals(i % 2 == 0, Double.isFinite(l.pathLength()), "path length every 2 steps: " + l);
            assertEquals(i < 3 ? 0.5 : l.adaP(), l.adaP(), 0.0, "p changes only after 4 steps");
        }
        assertEquals(0.16, Math.abs(losses.get(3).adaP() - 0.5), 1e-9, "p moved by one controller step");
        assertNotEquals(start.tensor("mapping/w_avg"), out[0].tensor("mapping/w_avg"), "w_avg is tracked");
        assertEquals(out[0].tensor("mapping/w_avg"), out[1].tensor("mapping/w_avg"), "EMA copies w_avg");
    }

    /** The config's pipe is what D sees: at p = 1 the full 'bgcfnc' pipe trains differently from 'bgc', and finitely. */
    @Test
    void theConfiguredPipeIsTheOneApplied() throws Exception {
        StyleGanModel start = Init.random(TINY, 11, true);
        java.util.List<TrainerCore.StepLosses> bgc = new java.util.ArrayList<>();
        java.util.List<TrainerCore.StepLosses> full = new java.util.ArrayList<>();
        train(start, SETTINGS.withAugment(new TrainConfig.Augmentation(TrainConfig.AugmentMode.FIXED, 1, 0.6, 4, 500,
                Augment.Pipe.BGC)), 1, bgc);
        train(start, SETTINGS.withAugment(new TrainConfig.Augmentation(TrainConfig.AugmentMode.FIXED, 1, 0.6, 4, 500,
                Augment.Pipe.BGCFNC)), 1, full);
        assertTrue(Double.isFinite(full.get(0).lossD()) && Double.isFinite(full.get(0).lossG()), full.toString());
        assertNotEquals(bgc.get(0).lossD(), full.get(0).lossD(), "the band filter, noise and cutout change D's input");
    }
}
