package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.training.sweep.TrainSweepConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped configs of the training module bind under its kinds. */
class TrainingKindsTest {
    private static Path config(String name) {
        return Path.of("..", "configs", name);
    }

    @Test
    void theShippedTrainingConfigsBind() {
        ConfigKinds kinds = TrainingKinds.register(new ConfigKinds());
        assertEquals(List.of("train", "cyclegan", "pairs", "distill", "toonify"), List.copyOf(kinds.all().keySet()));
        for (String f : List.of("train-ukiyoe-finetune.yaml", "cyclegan-photo-ukiyoe.yaml", "pairs-ukiyoe.yaml",
                "distill-ukiyoe.yaml")) {
            ExperimentConfig<?> c = ExperimentConfig.load(config(f), List.of(), kinds);
            assertEquals(kinds.all().get(c.kind()), c.value().getClass(), f);
        }
        TrainConfig fullPipe = (TrainConfig) ExperimentConfig.load(config("train-ukiyoe-finetune.yaml"),
                List.of("training.augment.pipe=bgcfnc"), kinds).value();
        assertEquals(Augment.Pipe.BGCFNC, fullPipe.training().augment().pipe());
        TrainConfig shipped = (TrainConfig) ExperimentConfig.load(config("train-ukiyoe-finetune.yaml"), List.of(), kinds).value();
        assertEquals(Augment.Pipe.BGC, shipped.training().augment().pipe());
    }

    @Test
    void aSweepWithTargetTrainIsATrainingSweep() {
        assertTrue(TrainingKinds.isTrainingSweep(config("sweep-train-ukiyoe.yaml")));
        assertFalse(TrainingKinds.isTrainingSweep(config("sweep-ukiyoe.yaml")));
        assertEquals(TrainSweepConfig.class, ExperimentConfig.load(config("sweep-train-ukiyoe.yaml"), List.of(),
                TrainingKinds.trainingSweep()).value().getClass());
    }
}
