package io.ukiyoe.training.distill;

import io.ukiyoe.graphs.generate.SeedImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.graphs.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** distill pairs on the tiny fixture models: layout, manifest, kill and resume, filter, bad input. */
class PairsJobTest {
    static final String BASE = Fixtures.file("rosinality_tiny.pt").toString();
    static final String BLENDED = Fixtures.file("rosinality_tiny_target.pt").toString();

    @TempDir
    Path dir;

    /** Shards of four pairs in batches of two (batches of one would build a second graph: slower tests). */
    static PairsConfig config(Path out, String seeds, Integer size, PairsConfig.Filter filter) {
        return new PairsConfig(BASE, BLENDED, Seeds.parse(seeds), 0.7, PairsConfig.Noise.CONST, size, 4, 2, filter,
                out.toString());
    }

    /** Every file of a folder (relative path -> SHA-256). */
    static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Hashing.sha256(p));
            }
        }
        return m;
    }

    /** Stands for a kill: stops the run from inside a listener. */
    static final class Stop extends RuntimeException {}

    @Test
    void aKilledRunResumesToTheSameBytesAsAnUninterruptedOne() throws Exception {
        Path whole = dir.resolve("whole");
        PairsJob.Summary s = PairsJob.run(config(whole, "0-7", null, null), new PairsJob.Listener() {});
        assertEquals(8, s.written());
        assertEquals(2, s.shards());
        Map<String, String> expected = contents(whole);
        assertEquals(8 + 8 + 2 + 1, expected.size(), expected.keySet().toString());
        assertTrue(expected.containsKey("train_A/000007.png") && expected.containsKey("train_B/000000.png"));

        // killed after shard 0 is recorded and in the middle of shard 1 (its first batch written)
        Path cut = dir.resolve("cut");
        long[] seen = new long[1];
        assertThrows(Stop.class, () -> PairsJob.run(config(cut, "0-7", null, null), new PairsJob.Listener() {
            @Override
            public void rendered(long pairs) {
                seen[0] = pairs;
                if (pairs > 4) {
                    throw new Stop();
                }
            }
        }));
        assertEquals(6, seen[0]);                          // shard 1's first batch of two
        assertTrue(Files.exists(cut.resolve("train_A/000005.png")));
        assertFalse(Files.exists(cut.resolve("latents/shard-00001.npy")));
        Files.writeString(cut.resolve("train_B/.000006.png.x1.tmp"), "half a file");   // a write the kill cut short
        Files.writeString(cut.resolve("train_A/000005.png"), "garbage");              // a shard's file that is not final

        long[] resumed = new long[2];
        PairsJob.Summary r = PairsJob.run(config(cut, "0-7", null, null), new PairsJob.Listener() {
            @Override
            public void started(long total, long alreadyDone) {
                resumed[0] = total;
                resumed[1] = alreadyDone;
            }
        });
        assertArrayEquals(new long[] {8, 4}, resumed);
        assertEquals(1, r.shardsBefore());
        assertEquals(expected, contents(cut));

        // done: a third run renders nothing and changes nothing
        PairsJob.Summary again = PairsJob.run(config(cut, "0-7", null, null), new PairsJob.Listener() {
            @Override
            public void rendered(long pairs) {
                throw new AssertionError("rendered although complete");
            }
        });
        assertEquals(2, again.shardsBefore());
        assertEquals(expected, contents(cut));

        String manifest = Files.readString(whole.resolve("pairs.json"));
        assertTrue(manifest.contains("\"complete\" : true") && manifest.contains("\"pairs_written\" : 8"), manifest);
        assertEquals(Hashing.sha256(Path.of(BASE)), PairsManifest.read(whole.resolve("pairs.json")).identity()
                .path("inputs").path("base").path("sha256").asString());
        var z = Npy.read(whole.resolve("latents/shard-00001.npy"));
        assertArrayEquals(new long[] {4, 64}, z.shape());
        var zSeed7 = SeedImages.z(java.util.List.of(7L), 64);
        assertEquals(zSeed7.getFloat(0, 5), z.data()[3 * 64 + 5], 0f);     // row 3 of shard 1 is seed 7
    }

    @Test
    void otherSettingsInAnExistingFolderAreRefusedNamingTheDifference() {
        Path out = dir.resolve("p");
        PairsJob.run(config(out, "0-1", null, null), new PairsJob.Listener() {});
        UserError e = assertThrows(UserError.class, () -> PairsJob.run(config(out, "0-1", 16, null), new PairsJob.Listener() {}));
        assertTrue(e.getMessage().startsWith(out.resolve("pairs.json") + ": this folder was made with other settings (size was 32, now 16)"),
                e.getMessage());
    }

    @Test
    void aSmallerSizeIsTheLanczosResizeOfTheFullSizePair() throws Exception {
        Path full = dir.resolve("full");
        Path small = dir.resolve("small");
        PairsJob.run(config(full, "2-3", null, null), new PairsJob.Listener() {});
        PairsJob.run(config(small, "2-3", 16, null), new PairsJob.Listener() {});
        for (String side : new String[] {"train_A", "train_B"}) {
            BufferedImage big = ImageIO.read(full.resolve(side).resolve("000003.png").toFile());
            BufferedImage got = ImageIO.read(small.resolve(side).resolve("000003.png").toFile());
            assertEquals(32, big.getWidth());
            assertEquals(16, got.getWidth());
            BufferedImage want = io.ukiyoe.data.Images.toImage(Nd4j.create(io.ukiyoe.data.Resample.toSquare(big, 16,
                    io.ukiyoe.data.Resample.Fit.CROP), new long[] {3, 16, 16}));
            assertArrayEquals(want.getRGB(0, 0, 16, 16, null, 0, 16), got.getRGB(0, 0, 16, 16, null, 0, 16), side);
        }
    }

    @Test
    void theFilterDropsPairsBelowTheStructureThresholdAndSaysWhich() throws Exception {
        Path strict = dir.resolve("strict");
        PairsJob.Summary s = PairsJob.run(config(strict, "0-1", null, new PairsConfig.Filter(1.0)), new PairsJob.Listener() {});
        assertEquals(0, s.written());                      // blended differs from base: no pair is a perfect copy
        assertEquals(2, s.dropped());
        try (Stream<Path> files = Files.list(strict.resolve("train_A"))) {
            assertEquals(0, files.count());
        }
        assertArrayEquals(new long[] {0, 64}, Npy.read(strict.resolve("latents/shard-00000.npy")).shape());
        assertEquals(java.util.List.of(0L, 1L), PairsManifest.read(strict.resolve("pairs.json")).shardsDone().get(0).dropped());

        var a = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 32, 32).subi(0.5);
        assertEquals(1, PairsJob.structure(a, a.dup(), 32), 1e-6);
        assertEquals(-1, PairsJob.structure(a, a.neg(), 32), 1e-6);   // structure lost: dropped at any min_structure > -1
    }

    @Test
    void badInputIsAOneLineErrorNamingTheFile() throws Exception {
        Path out = dir.resolve("o");
        PairsConfig missing = new PairsConfig(dir.resolve("nope.safetensors").toString(), BLENDED, Seeds.parse("0"), 0.7,
                PairsConfig.Noise.CONST, null, 3, 2, null, out.toString());
        UserError e = assertThrows(UserError.class, () -> PairsJob.run(missing, new PairsJob.Listener() {}));
        assertEquals(dir.resolve("nope.safetensors") + ": no such model file", e.getMessage());
        assertFalse(Files.exists(out));

        Path notAModel = Files.writeString(dir.resolve("notes.pt"), "not a checkpoint");
        PairsConfig garbage = new PairsConfig(BASE, notAModel.toString(), Seeds.parse("0"), 0.7, PairsConfig.Noise.CONST,
                null, 3, 2, null, out.toString());
        e = assertThrows(UserError.class, () -> PairsJob.run(garbage, new PairsJob.Listener() {}));
        assertTrue(e.getMessage().startsWith(notAModel.toString()) && !e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(out));

        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("x.txt"), "someone's file");
        e = assertThrows(UserError.class, () -> PairsJob.run(config(used, "0", null, null), new PairsJob.Listener() {}));
        assertEquals(used + ": exists, is not empty and has no pairs.json (not a pairs folder; give a new out)", e.getMessage());

        e = assertThrows(UserError.class, () -> PairsJob.run(config(dir.resolve("d"), "1,2,1", null, null),
                new PairsJob.Listener() {}));
        assertTrue(e.getMessage().contains("names a seed twice"), e.getMessage());
    }
}
