package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlendCommandTest {
    @TempDir
    Path dir;

    static final Path BASE = Fixtures.file("rosinality_tiny.pt");
    static final Path TARGET = Fixtures.file("rosinality_tiny_target.pt");

    private Path config(String body) throws Exception {
        Path p = dir.resolve("blend.yaml");
        Files.writeString(p, "kind: blend\nbase: " + BASE + "\ntarget: " + TARGET + "\nout: " + dir.resolve("out.safetensors")
                + "\n" + body);
        return p;
    }

    private CliRun blend(Path cfg, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "blend";
        args[1] = cfg.toString();
        args[2] = "--run-dir";
        args[3] = dir.resolve("run").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.of(args);
    }

    private void assertImages(String fixtureImages) {
        StyleGanModel m = StyleGanModel.read(dir.resolve("out.safetensors"));
        Generator g = new Generator(m);
        var ws = g.ws(Fixtures.npy("rosinality_tiny_z.npy"), Generator.Truncation.NONE, null, 0);
        Fixtures.assertClose(Fixtures.npy(fixtureImages), g.synthesis(ws, Generator.NoiseMode.CONST, 0), fixtureImages);
    }

    @Test
    void fixtureYamlInTheFlatSpellingReproducesTheImages() throws Exception {
        var cases = Fixtures.json("blends.json").get("cases");
        for (int i = 0; i < cases.size(); i++) {
            var c = cases.get(i);
            Files.deleteIfExists(dir.resolve("out.safetensors"));
            deleteRun();
            CliRun r = blend(config(c.get("yaml").asString() + "\n"));
            assertEquals(0, r.exit(), r.err());
            assertImages(c.get("images").get(0).asString());
        }
    }

    /** Removes the previous blend's run folder and model (outputs are never replaced without --force). */
    private void deleteRun() throws Exception {
        Files.deleteIfExists(dir.resolve("out.safetensors"));
        Path run = dir.resolve("run");
        if (Files.exists(run)) {
            try (var s = Files.walk(run)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void nestedScheduleWithPreviewWritesModelReportGridAndRunFolder() throws Exception {
        CliRun r = blend(config("schedule: {type: sigmoid, resolution: 16, width: 1.0}\n"
                + "preview: {seeds: 0-1, truncation: 0.7}\n"));
        assertEquals(0, r.exit(), r.err());
        assertImages("rosinality_tiny_blend_b_img.npy");
        String report = Files.readString(dir.resolve("out.blend.csv"));
        assertTrue(report.startsWith("name,alpha,source,kind,resolution,level,position\n"), report);
        assertTrue(report.contains("synthesis/b16/conv0/weight,0.5,blend,parameter,16,0,4"), report);
        Path run = dir.resolve("run");
        for (String f : new String[] {"config.yaml", "provenance.json", "log.txt", "preview.png", "blend.csv"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        StyleGanModel m = StyleGanModel.read(dir.resolve("out.safetensors"));
        assertTrue(m.metadata().get("blend").contains("\"sigmoid\""), m.metadata().toString());
        assertEquals(io.ukiyoe.core.io.Hashing.sha256(TARGET), m.metadata().get("target_sha256"));
        assertEquals(io.ukiyoe.core.io.Hashing.sha256(BASE), m.metadata().get("base_sha256"));
    }

    @Test
    void flagsWorkLikeAConfig() throws Exception {
        CliRun r = CliRun.of("blend", "--base", BASE.toString(), "--target", TARGET.toString(), "--schedule", "swap",
                "--resolution", "8", "--out", dir.resolve("out.safetensors").toString(), "--run-dir",
                dir.resolve("run").toString());
        assertEquals(0, r.exit(), r.err());
        assertImages("rosinality_tiny_blend_a_img.npy");
    }

    @Test
    void uniformZeroAndOneGiveTheInputsBitForBit() throws Exception {
        assertEquals(0, blend(config("schedule: {type: uniform, alpha: 0}\nmapping: blend\n")).exit());
        assertEquals(Importer.importFile(BASE, Importer.Format.AUTO).tensors(),
                StyleGanModel.read(dir.resolve("out.safetensors")).tensors());
        deleteRun();
        assertEquals(0, blend(config("schedule: {type: uniform, alpha: 1}\nmapping: blend\nnoise: target\n"
                + "discriminator: target\n")).exit());
        assertEquals(Importer.importFile(TARGET, Importer.Format.AUTO).tensors(),
                StyleGanModel.read(dir.resolve("out.safetensors")).tensors());
    }

    @Test
    void invalidSchedulesPointIntoTheFile() throws Exception {
        Path cfg = config("schedule: {type: swap, resolution: 64}\n");
        CliRun r = blend(cfg);
        assertEquals(2, r.exit());
        assertEquals(cfg + ":5:36: schedule.resolution: must be one of 4, 8, 16, 32 (the model's resolutions), got 64",
                r.err().strip());
        assertFalse(Files.exists(dir.resolve("out.safetensors")));
        assertFalse(Files.exists(dir.resolve("run")));
        assertTrue(blend(config("schedule: {type: uniform, alpha: 1.5}\n")).err().contains(
                ":5:34: schedule.alpha: must be a number in [0, 1], got 1.5"));
        assertTrue(blend(config("schedule: {type: sigmoid, resolution: 16, width: 0}\n")).err().contains(
                "schedule.width: must be a positive number, got 0"));
        assertTrue(blend(config("schedule: {type: swap, resolution: 12}\n")).err().contains(
                "schedule.resolution: must be one of 4, 8, 16, 32"));
        CliRun map = blend(config("schedule: {type: swap, resolution: 16}\nmapping: blend\n"));
        assertEquals(2, map.exit());
        assertTrue(map.err().contains(":6:10: mapping: 'blend' needs the uniform schedule"), map.err());
        CliRun table = blend(config("schedule: {type: table, alphas: {4: 0, 8: 0.5, 16: 1}}\n"));
        assertTrue(table.err().contains("schedule.alphas: needs an alpha for every resolution 4, 8, 16, 32; missing 32"),
                table.err());
        assertEquals(2, table.exit());
    }

    @Test
    void mismatchedModelsAreRefusedWithTheFirstMismatchesACountAndNothingWritten() throws Exception {
        Path cfg = dir.resolve("m.yaml");
        Files.writeString(cfg, "kind: blend\nbase: " + BASE + "\ntarget: " + Fixtures.file("ada_tiny_snapshot.pkl")
                + "\nout: " + dir.resolve("out.safetensors") + "\nschedule: {type: swap, resolution: 8}\n");
        CliRun r = blend(cfg);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("mismatches:"), r.err());
        assertTrue(r.err().matches("(?s)cannot blend .* (\\d+) mismatches: [^;]+; [^;]+; [^;]+; and \\d+ more\\s*"), r.err());
        assertTrue(r.err().length() < 1000, "a short line, not every mismatch: " + r.err().length());
        assertEquals(1, r.err().strip().lines().count());
        assertFalse(Files.exists(dir.resolve("out.safetensors")));
        assertFalse(Files.exists(dir.resolve("run")));
    }
}
