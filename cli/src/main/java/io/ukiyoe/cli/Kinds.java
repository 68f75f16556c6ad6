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
                .register("distill", io.ukiyoe.training.distill.DistillConfig.class);
    }
}
