package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.ukiyoe.data.charts.Chart;
import io.ukiyoe.swap.sweep.SweepCharts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepAndEvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void sweepWritesTableBestModelAndContactSheetAndResumes() throws Exception {
        Path cfg = dir.resolve("sweep.yaml");
        Files.writeString(cfg, "kind: sweep\nbase: " + Fixtures.file("rosinality_tiny.pt") + "\ntarget: "
                + Fixtures.file("rosinality_tiny_target.pt") + "\nspace: {schedules: [swap], resolutions: [8, 16]}\n"
                + "search: grid\ncandidates: 2\nstyle_images: 16\nseeds: 0-3\nout: " + dir.resolve("best.safetensors") + "\n");
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("sweep", cfg.toString(), "--run-dir", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("2 candidates in"), r.out());
        assertTrue(Files.exists(dir.resolve("best.safetensors")));
        assertTrue(Files.size(run.resolve("contact-sheet.png")) > 1000);
        List<String> table = Files.readAllLines(run.resolve("results.csv"));
        assertEquals(3, table.size());
        // results.png: the objective of each candidate and the swap resolution against it, as results.csv has them
        assertTrue(Files.exists(run.resolve(SweepCharts.FILE)));
        Chart chart = SweepCharts.of(run);
        double[] objective = chart.panel("objective per candidate").series().get(0).y();
        double[] resolution = chart.panel("resolution vs objective").series().get(0).x();
        for (int i = 1; i < table.size(); i++) {
            String[] cells = table.get(i).split(",");
            assertEquals(Double.parseDouble(cells[cells.length - 4]), objective[i - 1], 1e-12, table.get(i));
            assertTrue(table.get(i).contains("\"\"resolution\"\":" + (int) resolution[i - 1]), table.get(i));
        }
        // resume with one row lost: the table comes back the same (but for timings)
        Files.write(run.resolve("results.csv"), table.subList(0, 2));
        CliRun again = CliRun.of("sweep", "--resume", run.toString());
        assertEquals(0, again.exit(), again.err());
        List<String> resumed = Files.readAllLines(run.resolve("results.csv"));
        assertEquals(table.size(), resumed.size());
        assertEquals(table.get(1), resumed.get(1));
        assertEquals(2, CliRun.of("sweep").exit());
        CliRun badResume = CliRun.of("sweep", "--resume", dir.resolve("nowhere").toString());
        assertEquals(1, badResume.exit());
    }

    @Test
    void swdOfASetWithItselfIsZeroAndCompareOfAModelWithItselfIsPerfect() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "12", "--size", "32", "--out",
                faces.toString()).exit());
        Path json = dir.resolve("swd.json");
        CliRun s = CliRun.of("eval", "swd", "--a", faces.toString(), "--b", faces.toString(), "--n", "12", "--resolution", "32",
                "--json", json.toString());
        assertEquals(0, s.exit(), s.err());
        List<String> lines = s.out().strip().lines().toList();
        assertEquals("SWD x1e3 avg: 0.0000", lines.get(lines.size() - 1));
        assertTrue(Files.readString(json).contains("\"avg\""));
        // without --resolution: the images' own size, and a set smaller than --n says so
        CliRun own = CliRun.of("eval", "swd", "--a", faces.toString(), "--b", faces.toString(), "--n", "50");
        assertEquals(0, own.exit(), own.err());
        assertTrue(own.out().startsWith("compared at 32 px: 12 images of A, 12 of B (fewer than --n 50: all a set has)"),
                own.out());
        CliRun c = CliRun.of("eval", "compare", "--a", Fixtures.file("rosinality_tiny.pt").toString(), "--b",
                Fixtures.file("rosinality_tiny.pt").toString(), "--seeds", "0-3");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("correlation at 16 px: 1.0000"), c.out());
        assertTrue(c.out().contains("mean |b - a| 0.00 deg"), c.out());
    }
}
