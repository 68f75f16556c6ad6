package io.ukiyoe.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.swap.sweep.SweepConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped blend and sweep configs bind under the swap module's kinds. */
class SwapKindsTest {
    @Test
    void theShippedBlendAndSweepConfigsBind() {
        ConfigKinds kinds = SwapKinds.register(new ConfigKinds());
        assertEquals(List.of("blend", "sweep"), List.copyOf(kinds.all().keySet()));
        assertEquals(BlendConfig.class, ExperimentConfig.load(Path.of("..", "configs", "blend-ukiyoe.yaml"), List.of(), kinds)
                .value().getClass());
        assertEquals(SweepConfig.class, ExperimentConfig.load(Path.of("..", "configs", "sweep-ukiyoe.yaml"), List.of(), kinds)
                .value().getClass());
    }
}
