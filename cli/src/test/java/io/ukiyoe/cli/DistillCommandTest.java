package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ukiyoe distill pairs: pair i is what 'ukiyoe generate --seeds i' renders with each model; a run killed like
 * {@code kill -9} and started again ends with the same files as an uninterrupted one.
 */
class DistillCommandTest {
    static final String BASE = Fixtures.file("rosinality_tiny.pt").toString();
    static final String BLENDED = Fixtures.file("rosinality_tiny_target.pt").toString();

    @TempDir
    static Path dir;

    static Path config(String name, String extra) throws Exception {
        return config(name, "3-10", extra);
    }

    static Path config(String name, String seeds, String extra) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), "kind: pairs\nbase: " + BASE + "\nblended: " + BLENDED
                + "\nseeds: " + seeds + "\ntruncation: 0.7\nnoise: const\nshard_size: 2\nout: " + dir.resolve(name) + "\n" + extra);
    }

    /** The uninterrupted run the other tests compare with. */
    @BeforeAll
    static void pairs() throws Exception {
        CliRun r = CliRun.of("distill", "pairs", config("pairs", "batch: 1\n").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("8 pairs in 4 shards -> " + dir.resolve("pairs")), r.out());
        assertTrue(r.err().contains("pairs/s"), r.err());
    }

    /** Every file of a folder (relative path -> SHA-256). */
    static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), io.ukiyoe.core.io.Hashing.sha256(p));
            }
        }
        return m;
    }

    private static int[] pixels(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void pairIIsGenerateSeedIOfEachModel() throws Exception {
        String[][] sides = {{"train_A", BASE}, {"train_B", BLENDED}};
        for (String[] side : sides) {
            Path gen = dir.resolve("gen-" + side[0]);
            // --batch 1 renders every seed alone: what 'generate --seeds i' does for each i
            CliRun g = CliRun.of("generate", "--model", side[1], "--seeds", "3-5", "--truncation", "0.7", "--batch", "1",
                    "--out", gen.toString());
            assertEquals(0, g.exit(), g.err());
            for (int seed = 3; seed <= 5; seed++) {
                assertArrayEquals(pixels(gen.resolve(String.format("seed%04d.png", seed))),
                        pixels(dir.resolve("pairs").resolve(side[0]).resolve(String.format("%06d.png", seed))), side[0] + " seed " + seed);
            }
        }
        // batches of two go through the batched graph: the same pictures up to float rounding (at most one level)
        CliRun r = CliRun.of("distill", "pairs", config("batched", "3-5", "batch: 2\n").toString());
        assertEquals(0, r.exit(), r.err());
        int worst = 0;
        for (int seed = 3; seed <= 5; seed++) {
            int[] a = pixels(dir.resolve("pairs/train_B").resolve(String.format("%06d.png", seed)));
            int[] b = pixels(dir.resolve("batched/train_B").resolve(String.format("%06d.png", seed)));
            for (int i = 0; i < a.length; i++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    worst = Math.max(worst, Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff)));
                }
            }
        }
        System.out.println("batch 2 vs batch 1: max level difference " + worst);
        assertTrue(worst <= 1, "batch 2 vs batch 1: " + worst + " levels");
    }

    @Test
    void killedAtAnUnchosenMomentAndStartedAgainItEndsWithTheSameFiles() throws Exception {
        Path cfg = config("killed", "batch: 1\n");
        Path out = dir.resolve("killed");
        Process p = ChildJvm.start(dir.resolve("killed.log"), "distill", "pairs", cfg.toString());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!shardDone(out) && p.isAlive() && System.nanoTime() < deadline) {   // once a shard is recorded
            Thread.sleep(10);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(dir.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL
        p.waitFor(1, TimeUnit.MINUTES);
        assertTrue(!Files.readString(out.resolve("pairs.json")).contains("\"complete\" : true"), "killed before the end");

        CliRun r = CliRun.of("distill", "pairs", cfg.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("resuming: "), r.err());
        assertEquals(contents(dir.resolve("pairs")), contents(out));          // pairs.json included
    }

    /** Whether pairs.json (replaced atomically, so always whole) lists a finished shard. */
    private static boolean shardDone(Path out) throws Exception {
        Path manifest = out.resolve("pairs.json");
        return Files.exists(manifest) && Files.readString(manifest).contains("\"written\"");
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.yaml"), "kind: pairs\nbase: " + dir.resolve("missing.safetensors")
                + "\nblended: " + BLENDED + "\nout: " + dir.resolve("o") + "\n");
        CliRun r = CliRun.of("distill", "pairs", cfg.toString());
        assertEquals(1, r.exit());
        assertEquals(dir.resolve("missing.safetensors") + ": no such model file", r.err().strip());
        assertFalse(Files.exists(dir.resolve("o")));

        Path typo = Files.writeString(dir.resolve("typo.yaml"), "kind: pairs\nbase: a\nblended: b\nout: o\nshard_sise: 3\n");
        r = CliRun.of("distill", "pairs", typo.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("shard_sise") && r.err().contains("shard_size") && r.err().strip().lines().count() == 1, r.err());

        r = CliRun.of("check", config("checked", "filter: {min_structure: 0.2}\n").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("valid 'pairs' config"), r.out());

        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "someone's file");
        r = CliRun.of("distill", "pairs", config("used", "").toString());
        assertEquals(1, r.exit());
        assertEquals(used + ": exists, is not empty and has no pairs.json (not a pairs folder; give a new out)", r.err().strip());
    }
}
