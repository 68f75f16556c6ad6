package io.ukiyoe.graphs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterCountsTest {
    @Test
    void everyTensorIsCountedInExactlyOnePart() {
        StyleGanConfig c = StyleGanConfig.of(16, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6));
        StyleGanModel m = Init.random(c, 2, true);
        ParameterCounts p = ParameterCounts.of(m);
        long all = m.tensors().values().stream().mapToLong(t -> t.numel()).sum();
        assertEquals(all, p.mapping() + p.synthesis() + p.discriminator() + p.buffers());
        // two mapping layers 8 -> 8 with bias
        assertEquals(2 * (8 * 8 + 8), p.mapping());
        long noise = m.tensors().entrySet().stream().filter(e -> e.getKey().endsWith("/noise_const"))
                .mapToLong(e -> e.getValue().numel()).sum();
        assertEquals(c.wDim() + noise, p.buffers());                  // w_avg and the constant noise maps
        assertTrue(p.discriminator() > 0 && p.synthesis() > 0);
        assertEquals(0, ParameterCounts.of(m.withoutDiscriminator()).discriminator());
    }
}
