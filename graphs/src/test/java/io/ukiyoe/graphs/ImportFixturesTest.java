package io.ukiyoe.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ImportFixturesTest {
    record Stat(String name, long numel, double sum, double sumsq) {}

    /** Every manifest tensor (except derived FIR filters) appears in the import with the same statistics. */
    @ParameterizedTest
    @ValueSource(strings = {"rosinality_tiny.pt", "rosinality_tiny_legacy.pt", "ada_tiny_snapshot.pkl"})
    void importMatchesTheManifestTensorByTensor(String file) {
        StyleGanModel m = Importer.importFile(Fixtures.file(file), Importer.Format.AUTO);
        JsonNode manifest = Fixtures.json(file + ".manifest.json");
        List<Stat> expected = new ArrayList<>();
        if (file.startsWith("rosinality")) {
            for (String part : new String[] {"g_ema", "d"}) {
                manifest.get("tensors").get(part).forEach(t -> expected.add(stat(part, t)));
            }
            expected.add(stat("", manifest.get("tensors").get("latent_avg")));
        } else {
            for (String part : new String[] {"G_ema", "D"}) {
                manifest.get("modules").get(part).get("tensors").forEach(t -> expected.add(stat(part, t)));
            }
        }
        expected.removeIf(s -> s.name().endsWith("kernel") || s.name().endsWith("resample_filter"));
        List<Stat> actual = new ArrayList<>();
        m.tensors().forEach((k, t) -> actual.add(new Stat(k, t.numel(), t.sum(), t.sumSquares())));
        assertEquals(expected.size(), actual.size(), "tensor count");
        for (Stat e : expected) {
            Stat hit = actual.stream().filter(a -> a.numel() == e.numel()
                            && Math.abs(a.sum() - e.sum()) <= 1e-6 * Math.max(1, Math.abs(e.sum()))
                            && Math.abs(a.sumsq() - e.sumsq()) <= 1e-6 * Math.max(1, e.sumsq()))
                    .findFirst().orElse(null);
            assertNotNull(hit, "no imported tensor matches " + e);
            actual.remove(hit);
        }
        assertTrue(m.hasDiscriminator());
        assertEquals(32, m.config().resolution());
        assertEquals(8, m.config().numWs());
        assertEquals(2, m.config().nMlp());
    }

    private static Stat stat(String part, JsonNode t) {
        return new Stat(part + ":" + t.get("name").asString(), t.get("numel").asLong(), t.get("sum").asDouble(),
                t.get("sumsq").asDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rosinality_tiny.pt", "rosinality_tiny_legacy.pt"})
    void rosinalityNamesLandWhereTheSpecSays(String file) {
        StyleGanModel m = Importer.importFile(Fixtures.file(file), Importer.Format.AUTO);
        Map<Integer, Integer> ch = m.config().channels();
        assertEquals(Map.of(4, 64, 8, 64, 16, 32, 32, 32), ch);
        Tensor avg = m.tensor(Names.W_AVG);
        assertEquals(28.24053743109107, avg.sum(), 1e-5);
        assertEquals(0, m.tensor("synthesis/b16/conv0/noise_strength").rank());
    }
}
