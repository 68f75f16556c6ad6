package io.ukiyoe.cli;

import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.swap.SwapKinds;
import io.ukiyoe.training.TrainingKinds;

/** Every config kind this build knows: each module registers its own ({@link SwapKinds}, {@link TrainingKinds}). */
final class Kinds {
    private Kinds() {}

    static ConfigKinds all() {
        return TrainingKinds.register(SwapKinds.register(new ConfigKinds()));
    }
}
