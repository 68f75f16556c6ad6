package io.ukiyoe.graphs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every canonical name the model has parses back to where it was made; nothing else does. */
class NamesTest {
    @Test
    void everyCanonicalNameParsesToItsPartBlockAndLayer() {
        StyleGanConfig c = StyleGanConfig.of(32, 16, 16, 2, StyleGanConfig.adaChannels(32, 256, 16));
        Map<String, long[]> all = new java.util.LinkedHashMap<>(Names.generator(c));
        all.putAll(Names.discriminator(c));
        for (String n : all.keySet()) {
            Names.Parsed p = Names.parse(n).orElseThrow(() -> new AssertionError("does not parse: " + n));
            switch (p.part()) {
                case MAPPING -> assertTrue(n.startsWith("mapping/" + p.layer() + "/"), n);
                case W_AVG -> assertEquals(Names.W_AVG, n);
                case SYNTHESIS -> assertTrue(n.startsWith(Names.layer(p.resolution(), p.layer())), n);
                case DISCRIMINATOR -> {
                    assertTrue(n.startsWith(Names.disc(p.resolution(), p.layer())), n);
                    assertTrue(Names.isDiscriminator(n));
                }
            }
            assertEquals(p.part() == Names.Part.SYNTHESIS ? p.resolution() : 0, Names.synthesisResolution(n), n);
            assertEquals(p.part() == Names.Part.SYNTHESIS, Names.isSynthesis(n), n);
            assertTrue(n.startsWith(Names.layerOf(n) + "/") && !Names.layerOf(n).isEmpty(), n);
        }
        assertEquals("disc/b32/conv0", Names.layerOf("disc/b32/conv0/weight"));
        Names.Parsed noise = Names.parse(Names.noiseOfLayer(1)).orElseThrow();   // 0 = b4.conv1, 1 = b8.conv0
        assertEquals(new Names.Parsed(Names.Part.SYNTHESIS, 8, "conv0", "noise_const"), noise);
        assertTrue(noise.isNoiseMap());
        assertEquals(new Names.Parsed(Names.Part.SYNTHESIS, 16, "conv1", "affine/weight"),
                Names.parse("synthesis/b16/conv1/affine/weight").orElseThrow());
        for (String bad : new String[] {"synthesis/16/conv0/weight", "mapping/w", "disc/b/conv", "style.1.weight", ""}) {
            assertTrue(Names.parse(bad).isEmpty(), bad);
        }
    }
}
