package io.ukiyoe.training;

import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.YamlTree;
import io.ukiyoe.training.cyclegan.CycleGanConfig;
import io.ukiyoe.training.distill.DistillConfig;
import io.ukiyoe.training.distill.PairsConfig;
import io.ukiyoe.training.project.ToonifyConfig;
import io.ukiyoe.training.sweep.TrainSweepConfig;
import java.nio.file.Path;

/** The config kinds of the training module: what {@code kind:} names and which schema binds it. */
public final class TrainingKinds {
    private TrainingKinds() {}

    /** Adds train, cyclegan, pairs, distill and toonify to the registry. */
    public static ConfigKinds register(ConfigKinds kinds) {
        return kinds.register("train", TrainConfig.class)
                .register("cyclegan", CycleGanConfig.class)
                .register("pairs", PairsConfig.class)
                .register("distill", DistillConfig.class)
                .register("toonify", ToonifyConfig.class);
    }

    /** {@code kind: sweep} with {@code target: train}: a sweep of training settings, not of blends. */
    public static boolean isTrainingSweep(Path file) {
        return YamlTree.parseFile(file) instanceof Node.Mapping m
                && m.get("target") instanceof Node.Scalar s && s.text().equals("train");
    }

    /** The schema of training sweeps under {@code kind: sweep} ({@link #isTrainingSweep}). */
    public static ConfigKinds trainingSweep() {
        return new ConfigKinds().register("sweep", TrainSweepConfig.class);
    }
}
