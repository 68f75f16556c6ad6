package io.ukiyoe.swap;

import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.swap.sweep.SweepConfig;

/** The config kinds of the swap module: blends (flat schedule spelling accepted) and blend sweeps. */
public final class SwapKinds {
    private SwapKinds() {}

    /** Adds blend and sweep to the registry. */
    public static ConfigKinds register(ConfigKinds kinds) {
        return kinds.register("blend", BlendConfig.class, BlendConfig::normalize)
                .register("sweep", SweepConfig.class);
    }
}
