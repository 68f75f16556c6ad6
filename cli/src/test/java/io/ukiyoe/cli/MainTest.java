package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    @TempDir
    Path dir;

    static final Path ROOT = Path.of(System.getProperty("ukiyoe.root", ".."));

    @Test
    void helpListsEverySubcommandWithADescription() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exit());
        CommandLine cl = new CommandLine(new Main());
        for (var e : cl.getSubcommands().entrySet()) {
            String desc = String.join(" ", e.getValue().getCommandSpec().usageMessage().description());
            assertFalse(desc.isBlank(), e.getKey() + " has no description");
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(e.getKey() + " ")),
                    e.getKey() + " missing from --help:\n" + r.out());
        }
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void everySubcommandHasItsOwnHelp() {
        for (String cmd : new CommandLine(new Main()).getSubcommands().keySet()) {
            if (cmd.equals("help")) {
                continue;
            }
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().startsWith("Usage: ukiyoe " + cmd), r.out());
        }
    }

    @Test
    void versionNamesProjectDl4jAndBackend() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("ukiyoe 0."), r.out());
        assertTrue(r.out().contains("DL4J/ND4J 1.0.0-M2.1"), r.out());
        assertTrue(r.out().contains("backend CpuBackend"), r.out());
        assertFalse(r.out().contains("INFO"), "library banner leaked to stdout:\n" + r.out());
    }

    @Test
    void unknownCommandOrOptionIsAUsageError() {
        CliRun r = CliRun.of("frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unmatched argument"), r.err());
        assertEquals(2, CliRun.of("check", "--no-such-option", "x.yaml").exit());
    }

    @Test
    void nonFiniteNumbersAreRefusedInOneLine() {
        for (String v : new String[] {"NaN", "nan", "Infinity", "-Infinity", "inf", "1e999"}) {
            CliRun r = CliRun.of("generate", "--model", "m.safetensors", "--seeds", "0", "--out", "x", "--truncation", v);
            assertEquals(2, r.exit(), v + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--truncation") && r.err().contains("'" + v + "'"), r.err());
        }
        CliRun r = CliRun.of("export", "--model", "m.safetensors", "--out", "g.fb", "--truncation", "Infinity");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("is not a finite number"), r.err());
    }

    @Test
    void usageErrorsAreOneLineWithWhereToReadMore() {
        CliRun r = CliRun.of("generate", "--modle", "m");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("see 'ukiyoe generate --help'"), r.err());
    }

    @Test
    void smallMistakesGetPlainAnswers() throws IOException {
        Path binary = dir.resolve("model.yaml");
        Files.write(binary, new byte[] {(byte) 0x80, 0x03, (byte) 0xff, (byte) 0xfe, 0});
        CliRun yaml = CliRun.of("check", binary.toString());
        assertEquals(2, yaml.exit());
        assertEquals(binary + ": not a text file (a YAML config must be UTF-8 text)", yaml.err().strip());

        CliRun folder = CliRun.of("import", dir.toString(), "--out", dir.resolve("m.safetensors").toString());
        assertEquals(1, folder.exit());
        assertEquals(dir + ": is a folder; give the checkpoint file itself", folder.err().strip());

        CliRun noOut = CliRun.of("blend", "--base", "a.safetensors", "--target", "b.safetensors", "--schedule", "swap",
                "--resolution", "8");
        assertEquals(2, noOut.exit());
        assertTrue(noOut.err().contains("--out OUT.safetensors is required"), noOut.err());
    }

    private Path config(String text) throws IOException {
        Path p = dir.resolve("exp.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void checkAcceptsAValidConfigWithAOneLineSummary() throws IOException {
        Path p = config("kind: train\ndata: {path: faces.zip}\ntraining: {batch: 4}\n");
        CliRun r = CliRun.of("check", p.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith(p + ": valid 'train' config ("), r.out());
    }

    @Test
    void checkReportsAMisspeltKeyWithPositionAndSuggestionAndNoStackTrace() throws IOException {
        Path p = config("kind: train\ndata: {path: faces.zip}\ntraining:\n  lerning_rate: 0.01\n");
        CliRun r = CliRun.of("check", p.toString());
        assertEquals(2, r.exit());
        assertEquals(p + ":4:3: unknown key 'lerning_rate' in training (did you mean 'learning_rate'?)",
                r.err().strip());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void checkAppliesSetOverridesAndValidatesThem() throws IOException {
        Path p = config("kind: train\ndata: {path: faces.zip}\n");
        CliRun ok = CliRun.of("check", p.toString(), "--set", "training.batch=16", "--print");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("batch: 16"), ok.out());
        CliRun bad = CliRun.of("check", p.toString(), "--set", "training.batch=-4");
        assertEquals(2, bad.exit());
        assertEquals("--set training.batch=-4: training.batch: must be a positive integer, got -4", bad.err().strip());
    }

    @Test
    void checkRejectsUnknownKindsAndMissingFiles() throws IOException {
        CliRun kind = CliRun.of("check", config("kind: trane\n").toString());
        assertEquals(2, kind.exit());
        assertTrue(kind.err().contains(":1:7: unknown kind 'trane' (did you mean 'train'? valid kinds: blend, sweep, train"),
                kind.err());
        CliRun missing = CliRun.of("check", dir.resolve("none.yaml").toString());
        assertEquals(2, missing.exit());
        assertEquals(dir.resolve("none.yaml") + ": no such file", missing.err().strip());
    }

    @Test
    void debugShowsTheStackTrace() throws IOException {
        CliRun r = CliRun.of("--debug", "check", config("kind: trane\n").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void everyExampleConfigIsValid() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT.resolve("configs"))) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            CliRun r = CliRun.of("check", f.toString());
            assertEquals(0, r.exit(), f + ": " + r.err());
        }
    }
}
