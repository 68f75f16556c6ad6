package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What {@code freeze:} keeps fixed, by canonical name: generator layers by resolution, D's first layers as FreezeD counts them. */
class FreezeTest {
    private static final StyleGanConfig C = StyleGanConfig.of(16, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6));

    private static List<String> frozen(TrainConfig.Freeze f) {
        Predicate<String> p = TrainJob.frozen(f, C);
        java.util.List<String> all = new java.util.ArrayList<>(Names.generator(C).keySet());
        all.addAll(Names.discriminator(C).keySet());
        return all.stream().filter(p).toList();
    }

    @Test
    void freezeDCountsLayersFromTheInput() {
        // fromrgb is layer 0, then conv0, conv1, skip of each block from the top, then the 4 px conv, fc, out
        assertEquals(List.of(Names.disc(16, "fromrgb/weight"), Names.disc(16, "fromrgb/bias"),
                Names.disc(16, "conv0/weight"), Names.disc(16, "conv0/bias")),
                frozen(new TrainConfig.Freeze(0, false, 2)));
        List<String> four = frozen(new TrainConfig.Freeze(0, false, 4));
        assertEquals(Names.disc(16, "skip/weight"), four.get(four.size() - 1));
        assertEquals(7, four.size());
    }

    @Test
    void generatorLayersUpToAResolutionAndTheMappingUnlessTrained() {
        List<String> g = frozen(new TrainConfig.Freeze(8, false, 0));
        assertEquals(true, g.stream().anyMatch(Names::isMapping));
        assertEquals(true, g.stream().allMatch(n -> Names.isMapping(n) || (Names.synthesisResolution(n) > 0
                && Names.synthesisResolution(n) <= 8)), g.toString());
        assertEquals(false, g.stream().anyMatch(n -> Names.synthesisResolution(n) == 16));
        assertEquals(false, frozen(new TrainConfig.Freeze(8, true, 0)).stream().anyMatch(Names::isMapping));
    }
}
