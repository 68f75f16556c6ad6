package io.ukiyoe.swap.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Task;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.swap.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's machinery on {@link SweepFixtures}' known problem, measured by {@link WeightMeasures}:
 * results.csv, failed candidates, resuming, Arbiter's generators, the contact sheet, one-line errors.
 * (Whether eval's metrics rank the known answer first is the CLI's SweepScoringTest.)
 */
@org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class SweepTest {
    static final WeightMeasures MEASURES = new WeightMeasures();

    @TempDir
    static Path dir;
    static SweepFixtures fx;

    @BeforeAll
    static void models() {
        fx = new SweepFixtures(dir);
    }

    @Test
    void theContactSheetHasARowPerTopCandidateAndSkipsFailedOnes() {
        StyleGanModel b = Importer.importFile(fx.base, Importer.Format.AUTO);
        StyleGanModel t = Importer.importFile(fx.target, Importer.Format.AUTO);
        SweepConfig c = fx.config(dir.resolve("sheet.safetensors"), SweepConfig.Search.GRID, 4);
        SweepResults.Row swap8 = new SweepResults.Row(0, "{\"type\":\"swap\",\"resolution\":8}", 1, 0.9, 0.8, 0, Double.NaN, Double.NaN, 0.5, 1, "ok", null);
        SweepResults.Row swap16 = new SweepResults.Row(1, "{\"type\":\"swap\",\"resolution\":16}", 1, 0.9, 0.8, 0, Double.NaN, Double.NaN, 0.25, 1, "ok", null);
        SweepResults.Row failed = new SweepResults.Row(2, "{\"type\":\"swap\",\"resolution\":32}", 0, 0, 0, 0, Double.NaN, Double.NaN, 0, 1, "failed", "boom");
        java.awt.image.BufferedImage one = ContactSheet.of(b, t, List.of(swap8, failed), c);
        java.awt.image.BufferedImage two = ContactSheet.of(b, t, List.of(swap8, failed, swap16), c);
        int res = b.config().resolution();
        assertTrue(one.getWidth() >= 4 * res, one.getWidth() + " px wide");
        assertTrue(two.getHeight() >= one.getHeight() + res, one.getHeight() + " -> " + two.getHeight());
    }

    @Test
    void rowsCarryTheMeasuresAndTheObjectiveOfTheGaps() throws Exception {
        Path run = Files.createDirectories(dir.resolve("grid"));
        SweepConfig c = fx.config(run.resolve("best.safetensors"), SweepConfig.Search.GRID, 4,
                new SweepConfig.Objective(1, 0.5, 0, 0, 0, 0));
        SweepRunner.Result r = new SweepRunner(c, run, MEASURES, i -> { }).run();
        assertEquals(4, r.rows().size(), r.rows().toString());
        SweepResults.Row asTarget = SweepFixtures.row(r, new Schedule.Swap(4));
        SweepResults.Row asBase = SweepFixtures.row(r, new Schedule.Swap(32));
        // WeightMeasures: the target's style distance is 0 and its correlation 0; the base's correlation 1
        assertEquals(0.0, asTarget.swd(), asTarget.toString());
        assertEquals(0.5, asTarget.objective(), 1e-9, "the target: the whole structure gap: " + asTarget);
        assertEquals(1.0, asBase.objective(), 1e-9, "the base: the whole style gap: " + asBase);
        assertEquals(1.0, asBase.correlation16(), 1e-9, asBase.toString());
        assertEquals(asTarget.objective(), SweepFixtures.row(r, new Schedule.Swap(8)).objective(), "4 and 8 give the same model");
        assertEquals(SweepResults.ranked(r.rows()).get(0), r.best());
        assertNotNull(r.bestModel());
    }

    @Test
    void theMeasuresSayWhichModelsAreTooSmall() {
        SweepConfig c = fx.config(dir.resolve("x.safetensors"), SweepConfig.Search.GRID, 1);
        var e = assertThrows(io.ukiyoe.core.UserError.class, () -> new SweepRunner(c, dir, new WeightMeasures(64), i -> { }));
        assertTrue(e.getMessage().contains("at least 64 px") && e.getMessage().contains("this one is 32"), e.getMessage());
    }

    @Test
    void anFidTermWithoutTheInceptionWeightsIsAOneLineError() {
        SweepConfig c = fx.config(dir.resolve("x.safetensors"), SweepConfig.Search.GRID, 1,
                new SweepConfig.Objective(1, 0, 0, 1, 0, 0));
        var e = assertThrows(io.ukiyoe.core.UserError.class, () -> new SweepRunner(c, dir, MEASURES, i -> { }));
        assertTrue(e.getMessage().contains("metrics.inception") && e.getMessage().contains("pt_inception"), e.getMessage());
    }

    @Test
    void failuresAreRecordedAndResumingGivesTheSameTable() throws Exception {
        Path full = Files.createDirectories(dir.resolve("full"));
        SweepRunner.Result whole = new SweepRunner(fx.config(full.resolve("b.safetensors"), SweepConfig.Search.RANDOM, 5),
                full, MEASURES, i -> { }).run();
        // the same sweep, "interrupted" after two rows: keep the first two lines of the table, then resume
        Path part = Files.createDirectories(dir.resolve("part"));
        List<String> lines = Files.readAllLines(full.resolve(SweepResults.FILE));
        Files.write(part.resolve(SweepResults.FILE), lines.subList(0, 3));
        new SweepRunner(fx.config(part.resolve("b.safetensors"), SweepConfig.Search.RANDOM, 5), part, MEASURES, i -> { }).run();
        List<String> resumed = Files.readAllLines(part.resolve(SweepResults.FILE));
        assertEquals(stripSeconds(lines), stripSeconds(resumed));
        assertTrue(whole.rows().size() >= 2);

        Path failing = Files.createDirectories(dir.resolve("failing"));
        SweepRunner f = new SweepRunner(fx.config(failing.resolve("b.safetensors"), SweepConfig.Search.GRID, 4), failing,
                MEASURES, i -> { });
        String failingKey = SweepScorer.key(new Schedule.Swap(16));
        SweepRunner.Result fr = f.run(new FailingCluster(failingKey));
        assertEquals(4, fr.rows().size());
        assertEquals(1, fr.rows().stream().filter(x -> x.status().equals("failed")).count());
        assertTrue(List.of(new Schedule.Swap(4), new Schedule.Swap(8)).contains(SweepRunner.parse(fr.best().schedule())));
    }

    static List<String> stripSeconds(List<String> lines) {
        return lines.stream().map(l -> {
            List<String> c = io.ukiyoe.core.io.Csv.split(l);
            if (c.size() > 9) {
                c.set(9, "");
            }
            return String.join("|", c);
        }).toList();
    }

    @Test
    void geneticSearchRunsThroughArbiter() throws Exception {
        Path run = Files.createDirectories(dir.resolve("genetic"));
        SweepRunner.Result r = new SweepRunner(fx.config(run.resolve("b.safetensors"), SweepConfig.Search.GENETIC, 4), run,
                MEASURES, i -> { }).run();
        assertTrue(r.rows().size() >= 1 && r.rows().size() <= 4, r.rows().toString());
        assertNotNull(r.best());
        assertEquals(r.rows().size() + 1, Files.readAllLines(run.resolve(SweepResults.FILE)).size());
    }

    /** Runs here, but the blend of one schedule fails, as a worker's failing blend would. */
    record FailingCluster(String schedule) implements Cluster {
        @Override
        @SuppressWarnings("unchecked")
        public <T extends java.io.Serializable, R extends java.io.Serializable> List<R> map(List<T> items, Task<T, R> task,
                                                                                          java.util.function.IntConsumer progress) {
            return Cluster.local().map(items, item -> item instanceof SweepRunner.Work w && w.schedule().equals(schedule)
                    ? (R) SweepRunner.failed(w, "IllegalStateException: injected") : task.apply(item), progress);
        }

        @Override
        public int parallelism() {
            return 2;
        }

        @Override
        public String describe() {
            return "failing";
        }
    }
}
