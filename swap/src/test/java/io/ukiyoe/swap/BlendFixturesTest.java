package io.ukiyoe.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class BlendFixturesTest {
    static StyleGanModel base;
    static StyleGanModel target;

    @BeforeAll
    static void load() {
        base = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        target = Importer.importFile(Fixtures.file("rosinality_tiny_target.pt"), Importer.Format.AUTO);
    }

    static BlendOptions options(JsonNode c) {
        JsonNode s = c.get("schedule");
        Schedule sched = switch (s.get("schedule").asString()) {
            case "swap" -> new Schedule.Swap(s.get("resolution").asInt());
            case "sigmoid" -> new Schedule.Sigmoid(s.get("resolution").asInt(), s.get("width").asDouble(),
                    s.get("level").asInt());
            case "uniform" -> new Schedule.Uniform(s.get("alpha").asDouble());
            default -> throw new IllegalStateException();
        };
        return new BlendOptions(sched, BlendOptions.Source.valueOf(c.get("mapping").asString().toUpperCase()),
                BlendOptions.Source.valueOf(c.get("w_avg").asString().toUpperCase()),
                BlendOptions.Side.valueOf(c.get("noise").asString().toUpperCase()),
                BlendOptions.DiscriminatorChoice.valueOf(c.get("discriminator").asString().toUpperCase()), Map.of());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void fixtureCasesAreReproduced(int index) {
        JsonNode c = Fixtures.json("blends.json").get("cases").get(index);
        String name = c.get("case").asString();
        Blender.Result r = Blender.blend(base, target, options(c), Map.of());
        JsonNode table = Fixtures.json("rosinality_tiny_blend_" + name + ".json");
        // alphas exactly, layer by layer
        Map<String, Double> alphaByName = new java.util.HashMap<>();
        r.report().forEach(e -> alphaByName.put(e.name(), e.alpha()));
        for (var e : table.get("tensors").properties()) {
            JsonNode t = e.getValue();
            String part = t.get("part").asString();
            if (part.equals("fir")) {
                continue;
            }
            String layer = t.get("layer").asString();
            String prefix = part.equals("mapping") ? layer + "/" : "synthesis/" + layer + "/";
            List<String> mine = alphaByName.keySet().stream().filter(k -> (k.startsWith(prefix)
                            || k.equals(prefix.substring(0, prefix.length() - 1)))
                    && (part.equals("noise") == k.endsWith("noise_const"))).toList();
            assertTrue(!mine.isEmpty(), "no tensors for " + e.getKey());
            for (String k : mine) {
                assertEquals(t.get("alpha").asDouble(), alphaByName.get(k), 0.0, name + " " + k);
            }
        }
        assertEquals(table.get("latent_avg").get("alpha").asDouble(), alphaByName.get(Names.W_AVG), 0.0);
        // every blended tensor's statistics appear in the table
        List<double[]> stats = new ArrayList<>();
        table.get("tensors").properties().forEach(e -> stats.add(new double[] {e.getValue().get("sum").asDouble(),
                e.getValue().get("sumsq").asDouble()}));
        r.model().tensors().forEach((k, t) -> {
            if (k.startsWith("disc/") || k.equals(Names.W_AVG)) {
                return;
            }
            double s = t.sum();
            double q = t.sumSquares();
            assertTrue(stats.stream().anyMatch(x -> Math.abs(x[0] - s) <= 1e-6 * Math.max(1, Math.abs(s))
                    && Math.abs(x[1] - q) <= 1e-6 * Math.max(1, q)), name + ": no table entry matches " + k);
        });
        assertEquals(table.get("latent_avg").get("sum").asDouble(), r.model().tensor(Names.W_AVG).sum(), 1e-5);
        // images
        Generator g = new Generator(r.model());
        var ws = g.ws(Fixtures.npy("rosinality_tiny_z.npy"), Generator.Truncation.NONE, null, 0);
        Fixtures.assertClose(Fixtures.npy(c.get("images").get(0).asString()),
                g.synthesis(ws, Generator.NoiseMode.CONST, 0), name);
    }

    @Test
    void uniformZeroIsTheBaseAndOneTheTargetBitForBit() {
        var zero = new BlendOptions(new Schedule.Uniform(0), BlendOptions.Source.BLEND, null, BlendOptions.Side.BASE,
                BlendOptions.DiscriminatorChoice.BASE, Map.of());
        Blender.Result r0 = Blender.blend(base, target, zero, Map.of());
        assertEquals(base.tensors(), r0.model().tensors());
        var one = new BlendOptions(new Schedule.Uniform(1), BlendOptions.Source.BLEND, null, BlendOptions.Side.TARGET,
                BlendOptions.DiscriminatorChoice.TARGET, Map.of());
        assertEquals(target.tensors(), Blender.blend(base, target, one, Map.of()).model().tensors());
        assertSame(base.tensor("synthesis/b32/conv1/weight"), r0.model().tensor("synthesis/b32/conv1/weight"));
    }

    @Test
    void schedulesFollowTheSpec() {
        // positions: b4 const 0, b4 conv1/torgb 1, b8 conv0 2, conv1/torgb 3, b16 conv0 4, ...
        assertEquals(0, new Schedule.Swap(16).alpha(16, 5));
        assertEquals(1, new Schedule.Swap(16).alpha(32, 6));
        Schedule.SwapPinkney p = new Schedule.SwapPinkney(16, 0); // p(16,0) = 4: alpha 1 only for p > 5
        assertEquals(0, p.alpha(16, 5));
        assertEquals(1, p.alpha(32, 6));
        assertEquals(0, new Schedule.SwapPinkney(16, 1).alpha(32, 6)); // level 1 moves the cut half a block
        assertEquals(0.5, new Schedule.Sigmoid(16, 0.7, 1).alpha(16, 5), 0.0);
        Schedule.Linear lin = new Schedule.Linear(8, 64);
        assertEquals(0, lin.alpha(4, 1));
        assertEquals(0, lin.alpha(8, 2));
        assertEquals(1.0 / 3, lin.alpha(16, 4), 1e-15);
        assertEquals(1, lin.alpha(128, 10));
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Linear(64, 8));
        assertEquals(0.25, new Schedule.Table(Map.of(4, 0.0, 8, 0.25)).alpha(8, 3));
    }

    @Test
    void layerGlobsOverrideInOrderAndMustMatchSomething() {
        var o = new BlendOptions(new Schedule.Swap(8), BlendOptions.Source.BASE, null, BlendOptions.Side.BASE,
                BlendOptions.DiscriminatorChoice.DROP, new java.util.LinkedHashMap<>(Map.of("synthesis/b32/**", 0.25)));
        var o2 = new java.util.LinkedHashMap<String, Double>();
        o2.put("synthesis/b32/**", 0.25);
        o2.put("synthesis/b*/torgb/**", 0.0);
        Blender.Result r = Blender.blend(base, target, new BlendOptions(o.schedule(), o.mapping(), null, o.noise(),
                o.discriminator(), o2), Map.of());
        Map<String, Double> a = new java.util.HashMap<>();
        r.report().forEach(e -> a.put(e.name(), e.alpha()));
        assertEquals(0.25, a.get("synthesis/b32/conv1/weight"));
        assertEquals(0.0, a.get("synthesis/b32/torgb/weight"));
        assertEquals(0.0, a.get("synthesis/b32/torgb/affine/bias"));
        assertEquals(1.0, a.get("synthesis/b16/conv1/weight"));
        assertEquals(0.0, a.get("synthesis/b32/conv1/noise_const"), "buffers are never interpolated");
        assertTrue(r.model().tensors().keySet().stream().noneMatch(k -> k.startsWith("disc/")), "drop");
        var bad = new BlendOptions(new Schedule.Swap(8), BlendOptions.Source.BASE, null, BlendOptions.Side.BASE,
                BlendOptions.DiscriminatorChoice.BASE, Map.of("synthesis/b64/**", 0.5));
        var e = assertThrows(IllegalArgumentException.class, () -> Blender.blend(base, target, bad, Map.of()));
        assertTrue(e.getMessage().contains("matches no synthesis parameter"), e.getMessage());
    }

    @Test
    void mismatchedModelsListEveryDifference() {
        StyleGanModel ada = Importer.importFile(Fixtures.file("ada_tiny_snapshot.pkl"), Importer.Format.AUTO);
        List<String> m = Blender.mismatches(base, ada);
        assertTrue(m.size() > 3, m.toString());
        assertTrue(m.stream().anyMatch(x -> x.startsWith("architecture differs")));
        assertTrue(m.stream().anyMatch(x -> x.contains("synthesis/b16/conv0/weight: shape [32, 64, 3, 3] vs [64, 64, 3, 3]")),
                m.toString());
        io.ukiyoe.core.UserError e = assertThrows(io.ukiyoe.core.UserError.class, () -> Blender.blend(base, ada,
                BlendOptions.of(new Schedule.Swap(8)), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot blend the base with the target: " + m.size() + " mismatches: "),
                e.getMessage());
        assertNotNull(Blender.scheduleProblems(new Schedule.Swap(64), BlendOptions.of(new Schedule.Swap(64)), 32, List.of())
                .get("schedule.resolution"));
    }
}
