package io.ukiyoe.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RunFolderTest {
    @TempDir
    Path dir;

    private final LocalDateTime now = LocalDateTime.of(2026, 11, 25, 9, 8, 7);

    @Test
    void namesFoldersByKindAndTimeAndNeverReusesOne() throws Exception {
        Path runs = dir.resolve("runs");
        try (RunFolder a = RunFolder.create(runs, "blend", "try1", null, now);
             RunFolder b = RunFolder.create(runs, "blend", "try1", null, now)) {
            assertEquals(runs.resolve("blend-20261125-090807-try1"), a.dir());
            assertEquals(runs.resolve("blend-20261125-090807-try1-2"), b.dir());
            a.writeConfig("kind: blend\n");
            a.log("started");
            assertEquals("kind: blend\n", Files.readString(a.resolve(RunFolder.CONFIG)));
            assertTrue(Files.readString(a.resolve(RunFolder.LOG)).contains(" started"));
        }
        try (RunFolder c = RunFolder.create(runs, "train", null, null, now)) {
            assertEquals("train-20261125-090807", c.dir().getFileName().toString());
        }
    }

    @Test
    void explicitOutMustBeNewOrEmpty() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        RunFolder.create(dir, "x", null, out, now).close(); // empty: fine
        UserError e = assertThrows(UserError.class, () -> RunFolder.create(dir, "x", null, out, now));
        assertTrue(e.getMessage().contains("already exists and is not empty"), e.getMessage());
        assertEquals(2, e.exitCode());
        assertThrows(UserError.class, () -> RunFolder.create(dir, "x", "bad/name", null, now));
    }

    @Test
    void provenanceRecordsVersionsMachineSeedAndInputHashes() throws Exception {
        Path input = dir.resolve("in.bin");
        Files.write(input, new byte[] {1, 2, 3});
        Provenance p = Provenance.capture(42L, List.of("ukiyoe", "blend", "x.yaml"), List.of(input));
        try (RunFolder r = RunFolder.create(dir, "blend", null, null, now)) {
            r.writeProvenance(p);
            JsonNode json = RunFolder.JSON.readTree(Files.readString(r.resolve(RunFolder.PROVENANCE)));
            assertEquals(42, json.get("seed").asLong());
            assertEquals("1.0.0-M2.1", json.get("dl4j").asString());
            assertTrue(json.get("backend").asString().startsWith("CpuBackend"), json.toString());
            assertEquals(Hashing.sha256(new byte[] {1, 2, 3}), json.get("inputs").get(0).get("sha256").asString());
            assertEquals(3, json.get("inputs").get(0).get("bytes").asLong());
            assertNotEquals("unknown", json.get("project").asString());
            assertTrue(json.get("java").asString().startsWith("17") || json.get("java").asString().matches("\\d+.*"));
        }
    }

    @Test
    void sha256OfKnownBytes() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashing.sha256(new byte[0]));
    }
}
