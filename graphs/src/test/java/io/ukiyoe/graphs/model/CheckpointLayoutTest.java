package io.ukiyoe.graphs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.core.io.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointLayoutTest {
    @Test
    void networksRoundTripUnderTheirPrefixesWithoutBleedingIntoEachOther() {
        Tensor a = new Tensor(new long[] {1}, new float[] {1});
        Tensor b = new Tensor(new long[] {1}, new float[] {2});
        Tensor c = new Tensor(new long[] {1}, new float[] {3});
        Map<String, Tensor> file = new LinkedHashMap<>();
        CheckpointLayout.put(file, CheckpointLayout.G, Map.of("synthesis/b4/conv/weight", a));
        CheckpointLayout.put(file, CheckpointLayout.G_EMA, Map.of("synthesis/b4/conv/weight", b));
        CheckpointLayout.put(file, CheckpointLayout.D, Map.of("disc/b4/conv/weight", c));
        assertEquals(List.of("G/synthesis/b4/conv/weight", "G_ema/synthesis/b4/conv/weight", "D/disc/b4/conv/weight"),
                List.copyOf(file.keySet()));
        assertEquals(Map.of("synthesis/b4/conv/weight", a), CheckpointLayout.section(file, CheckpointLayout.G));
        assertEquals(Map.of("synthesis/b4/conv/weight", b), CheckpointLayout.section(file, CheckpointLayout.G_EMA));
        assertEquals(Map.of("disc/b4/conv/weight", c), CheckpointLayout.section(file, CheckpointLayout.D));
    }
}
