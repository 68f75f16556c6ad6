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

    @Test
    void stepsRunFrozenTensorsStayBitIdenticalAndTheRestMoves() throws Exception {
        Path faces = dir.resolve("faces");
        SynthSet.write(SynthFace.Domain.PHOTO, 24, 16, 3, faces, i -> { });
        StyleGanConfig c = StyleGanConfig.of(16, 16, 16, 2, Map.of(4, 16, 8, 16, 16, 8));
        StyleGanModel start = Init.random(c, 11, true);
        // freeze every generator layer at 4 px and the mapping network
        java.util.function.Predicate<String> frozen = k -> k.startsWith("mapping/") || k.startsWith("synthesis/b4/");
        TrainerCore t = new TrainerCore(start, new TrainerCore.Settings(4, 0.002, 1, 2, 10, 0.05, 0.9, 5), frozen);
        try (ImageDataset ds = ImageDataset.open(faces, new ImageDataset.Options(16, Resample.Fit.CROP, true));
             BatchLoader loader = new BatchLoader(ds, 4, 5, new BatchLoader.Position(0, 0), 2)) {
            for (int i = 0; i < 4; i++) {
                TrainerCore.StepLosses l = t.step(loader.next());
                assertTrue(Double.isFinite(l.lossD()) && Double.isFinite(l.lossG()), l.toString());
                if (i % 2 == 0) {
                    assertTrue(Double.isFinite(l.r1()), "lazy R1 every 2 steps");
                }
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
}
