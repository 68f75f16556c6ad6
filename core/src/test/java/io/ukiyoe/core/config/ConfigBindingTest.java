package io.ukiyoe.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.Discriminator;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.core.config.Schema.PowerOfTwo;
import io.ukiyoe.core.config.Schema.Range;
import io.ukiyoe.core.config.Schema.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigBindingTest {
    enum Source { BASE, TARGET, SWAP_PINKNEY }

    record Training(@Default("8") @Positive int batch,
                    @Default("0.002") @Positive double learningRate,
                    @Default("0.9") @Range(min = 0, max = 1) double styleMixing,
                    @Default("true") boolean xflip) {}

    @Discriminator("type")
    sealed interface Schedule permits Swap, Sigmoid, Table {}

    @Variant("swap")
    record Swap(@Default("16") @PowerOfTwo(min = 4, max = 1024) int resolution) implements Schedule {}

    @Variant("sigmoid")
    record Sigmoid(int resolution, @Positive double width, @Default("0") int level) implements Schedule {}

    @Variant("table")
    record Table(Map<Integer, Double> alphas) implements Schedule {}

    record Exp(String base,
               @Default("null") String name,
               @Default("{}") Training training,
               @Default("swap") Schedule schedule,
               @Default("base") Source mapping,
               @Default("[]") List<Integer> seeds) {}

    private final ConfigKinds kinds = new ConfigKinds().register("exp", Exp.class);

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private ConfigException error(String yaml, String... sets) throws Exception {
        Path p = file("c.yaml", yaml);
        return assertThrows(ConfigException.class, () -> ExperimentConfig.load(p, List.of(sets), kinds));
    }

    @Test
    void validFileBindsAndFillsDefaults() throws Exception {
        Path p = file("ok.yaml", """
                kind: exp
                base: models/a.safetensors
                training:
                  batch: 16
                schedule: {type: sigmoid, resolution: 16, width: 0.7}
                mapping: target
                seeds: [0, 1, 2]
                """);
        ExperimentConfig<?> c = ExperimentConfig.load(p, List.of(), kinds);
        Exp e = (Exp) c.value();
        assertEquals("exp", c.kind());
        assertEquals("models/a.safetensors", e.base());
        assertNull(e.name());
        assertEquals(new Training(16, 0.002, 0.9, true), e.training());
        assertEquals(new Sigmoid(16, 0.7, 0), e.schedule());
        assertEquals(Source.TARGET, e.mapping());
        assertEquals(List.of(0, 1, 2), e.seeds());
        // positions of bound values are kept for later checks
        assertEquals(new Pos(p.toString(), 5, 50), c.bound().pos("schedule.width"));
    }

    @Test
    void resolvedConfigRebindsToTheSameValue() throws Exception {
        Path p = file("ok.yaml", "kind: exp\nbase: a\nschedule: {type: table, alphas: {4: 0, 8: 0.5, 16: 1}}\n");
        ExperimentConfig<?> c = ExperimentConfig.load(p, List.of(), kinds);
        String resolved = c.resolvedYaml();
        assertTrue(resolved.startsWith("kind: exp\n"), resolved);
        assertTrue(resolved.contains("learning_rate: 0.002"), resolved);
        Path again = file("again.yaml", resolved);
        assertEquals(c.value(), ExperimentConfig.load(again, List.of(), kinds).value());
        assertEquals(Map.of(4, 0.0, 8, 0.5, 16, 1.0), ((Table) ((Exp) c.value()).schedule()).alphas());
    }

    @Test
    void unknownKeySuggestsTheClosestName() throws Exception {
        ConfigException e = error("kind: exp\nbase: a\ntraining:\n  lerning_rate: 0.1\n");
        assertEquals("unknown key 'lerning_rate' in training (did you mean 'learning_rate'?)", e.reason());
        assertEquals(4, e.pos().line());
        assertEquals(3, e.pos().col());
        assertTrue(e.getMessage().endsWith("c.yaml:4:3: unknown key 'lerning_rate' in training (did you mean 'learning_rate'?)"));
    }

    @Test
    void unknownTopLevelKeyWithoutCloseMatchListsValidKeys() throws Exception {
        ConfigException e = error("kind: exp\nbase: a\nzzzzzzzz: 1\n");
        assertTrue(e.reason().startsWith("unknown key 'zzzzzzzz' at top level (valid keys: base, name, training"),
                e.reason());
    }

    @Test
    void wrongTypesAndRangesNameTheKeyAndTheValue() throws Exception {
        ConfigException neg = error("kind: exp\nbase: a\ntraining:\n  batch: -4\n");
        assertEquals("training.batch: must be a positive integer, got -4", neg.reason());
        assertEquals(new Pos(dir.resolve("c.yaml").toString(), 4, 10), neg.pos());
        assertEquals("training.batch: must be a positive integer, got 'many'",
                error("kind: exp\nbase: a\ntraining: {batch: many}\n").reason());
        assertEquals("training.batch: must be a positive integer, got 2.5",
                error("kind: exp\nbase: a\ntraining: {batch: 2.5}\n").reason());
        assertEquals("training.style_mixing: must be a number in [0, 1], got 1.5",
                error("kind: exp\nbase: a\ntraining: {style_mixing: 1.5}\n").reason());
        assertEquals("training.xflip: must be true or false, got 'yes'",
                error("kind: exp\nbase: a\ntraining: {xflip: yes}\n").reason());
        assertEquals("mapping: must be one of base, target, swap-pinkney, got 'both'",
                error("kind: exp\nbase: a\nmapping: both\n").reason());
        assertEquals("training: must be a mapping, got a list",
                error("kind: exp\nbase: a\ntraining: [1]\n").reason());
        assertEquals("schedule.resolution: must be a power of two between 4 and 1024, got 24",
                error("kind: exp\nbase: a\nschedule: {type: swap, resolution: 24}\n").reason());
        assertEquals("seeds[1]: must be an integer, got 'x'",
                error("kind: exp\nbase: a\nseeds: [1, x]\n").reason());
    }

    @Test
    void missingRequiredKeysAndUnknownVariants() throws Exception {
        assertEquals("missing required key 'base'", error("kind: exp\n").reason());
        assertEquals("schedule: missing required key 'width'",
                error("kind: exp\nbase: a\nschedule: {type: sigmoid, resolution: 8}\n").reason());
        ConfigException v = error("kind: exp\nbase: a\nschedule: {type: sigmod}\n");
        assertEquals("schedule.type: unknown type 'sigmod' (did you mean 'sigmoid'? valid: swap, sigmoid, table)",
                v.reason());
        assertEquals(3, v.pos().line());
        assertEquals(Swap.class, ((Exp) ExperimentConfig.load(file("s.yaml", "kind: exp\nbase: a\nschedule: swap\n"),
                List.of(), kinds).value()).schedule().getClass());
    }

    @Test
    void unknownOrMissingKindListsTheValidKinds() throws Exception {
        ConfigException e = error("kind: expp\nbase: a\n");
        assertEquals("unknown kind 'expp' (did you mean 'exp'? valid kinds: exp)", e.reason());
        assertEquals(1, e.pos().line());
        assertEquals(7, e.pos().col());
        assertEquals("missing 'kind:' (valid kinds: exp)", error("base: a\n").reason());
    }

    @Test
    void syntaxErrorsCarryTheParserPositionAndReason() throws Exception {
        ConfigException e = error("kind: exp\nbase: [a, b\ntraining: {}\n");
        assertTrue(e.reason().startsWith("YAML syntax error: "), e.reason());
        assertEquals(3, e.pos().line());
        ConfigException indent = error("kind: exp\ntraining:\n  batch: 1\n   bad: 2\n");
        assertEquals("YAML syntax error: mapping values are not allowed here", indent.reason());
        assertEquals(4, indent.pos().line());
        assertEquals(7, indent.pos().col());
        ConfigException dup = error("kind: exp\nbase: a\nbase: b\n");
        assertEquals("duplicate key 'base' (first at line 2)", dup.reason());
    }

    @Test
    void overridesAreAppliedInOrderAndValidatedLikeTheFile() throws Exception {
        Path p = file("ok.yaml", "kind: exp\nbase: a\ntraining:\n  batch: 4\n");
        Exp e = (Exp) ExperimentConfig.load(p, List.of("training.batch=32", "training.learning_rate=1e-3",
                "schedule={type: swap, resolution: 64}", "training.batch=64", "name=run 1"), kinds).value();
        assertEquals(64, e.training().batch());
        assertEquals(0.001, e.training().learningRate());
        assertEquals(new Swap(64), e.schedule());
        assertEquals("run 1", e.name());

        ConfigException bad = error("kind: exp\nbase: a\n", "training.batch=-4");
        assertEquals("--set training.batch=-4: training.batch: must be a positive integer, got -4", bad.getMessage());
        ConfigException typo = error("kind: exp\nbase: a\n", "training.batchh=4");
        assertEquals("--set training.batchh=4: unknown key 'batchh' in training (did you mean 'batch'?)",
                typo.getMessage());
        UserError syntax = assertThrows(UserError.class, () -> ExperimentConfig.load(file("x.yaml", "kind: exp\n"),
                List.of("training.batch"), kinds));
        assertEquals(2, syntax.exitCode());
        ConfigException notMap = error("kind: exp\nbase: a\n", "base.x=1");
        assertEquals("--set base.x=1: base: is 'a', not a mapping", notMap.getMessage());
    }

    @Test
    void suggestionsNeedACloseSpelling() {
        assertEquals("learning_rate", Binder.Suggest.closest("lerning_rate", List.of("batch", "learning_rate")).get());
        assertEquals("batch", Binder.Suggest.closest("bacth", List.of("batch", "learning_rate")).get());
        assertTrue(Binder.Suggest.closest("completely_else", List.of("batch")).isEmpty());
    }
}
