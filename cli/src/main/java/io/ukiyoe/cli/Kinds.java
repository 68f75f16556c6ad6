package io.ukiyoe.cli;

import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.swap.BlendConfig;
import io.ukiyoe.swap.sweep.SweepConfig;
import io.ukiyoe.training.TrainConfig;

/** Every config kind this build knows; each feature registers its schema here as it lands. */
final class Kinds {
    private Kinds() {}

    static ConfigKinds all() {
        return new ConfigKinds()
                .register("blend", BlendConfig.class, BlendConfig::normalize)
                .register("sweep", SweepConfig.class)
                .register("train", TrainConfig.class)
                .register("cyclegan", io.ukiyoe.training.cyclegan.CycleGanConfig.class)
                .register("pairs", io.ukiyoe.training.distill.PairsConfig.class)
                .register("distill", io.ukiyoe.training.distill.DistillConfig.class)
                .register("toonify", io.ukiyoe.training.project.ToonifyConfig.class);
    }

    /** {@code kind: sweep} with {@code target: train}: a sweep of training settings, not of blends. */
    static boolean isTrainingSweep(java.nio.file.Path file) {
        return io.ukiyoe.core.config.YamlTree.parseFile(file) instanceof io.ukiyoe.core.config.Node.Mapping m
                && m.get("target") instanceof io.ukiyoe.core.config.Node.Scalar s && s.text().equals("train");
    }

    /** The schema of training sweeps under {@code kind: sweep} ({@link #isTrainingSweep}). */
    static ConfigKinds trainingSweep() {
        return new ConfigKinds().register("sweep", io.ukiyoe.training.sweep.TrainSweepConfig.class);
    }
}
