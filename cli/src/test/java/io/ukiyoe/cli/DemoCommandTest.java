package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.model.StyleGanModel;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newcomer's first command, reduced (fewer frames and sweep candidates), and every file it lists. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoWritesEveryArtefactItLists() throws Exception {
        Path out = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--out", out.toString(), "--quick");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("[10/10]"), r.out());
        List<String> files = Arrays.stream(r.out().split("\n")).map(String::strip)
                .filter(l -> l.startsWith(out.toString())).toList();
        assertEquals(18, files.size(), r.out());   // with the sweep's results.png, the student and its grid
        for (String f : files) {
            Path p = Path.of(f);
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, f);
            if (f.endsWith(".png")) {
                BufferedImage img = ImageIO.read(p.toFile());
                assertTrue(img.getWidth() >= 32 && img.getHeight() >= 32, f);
                assertTrue(distinctColours(img) > 50, f + " looks blank");
            } else if (f.endsWith(".mp4")) {
                byte[] head = Arrays.copyOf(Files.readAllBytes(p), 12);
                assertEquals("ftyp", new String(head, 4, 4, StandardCharsets.US_ASCII), f + " is not an MP4");
                assertTrue(Files.size(p) > 2000, f + " is too small to hold frames");
            } else if (f.endsWith(DemoCommand.STUDENT)) {
                assertTrue(io.ukiyoe.graphs.translate.Translators.handles(p), f + " is a translator");
            } else if (f.endsWith(".safetensors")) {
                assertEquals(32, StyleGanModel.read(p).config().resolution(), f);
            } else if (f.endsWith(".csv")) {
                assertTrue(Files.readAllLines(p).size() >= 3, f + ": a header and the candidates");
            }
        }
        // the two shipped models differ (the target was fine-tuned), and the blends lie between them
        StyleGanModel base = StyleGanModel.read(out.resolve("models/base-photo-32.safetensors"));
        StyleGanModel target = StyleGanModel.read(out.resolve("models/target-ukiyoe-32.safetensors"));
        assertTrue(!base.tensor("synthesis/b32/conv1/weight").equals(target.tensor("synthesis/b32/conv1/weight")));
        StyleGanModel swap = StyleGanModel.read(out.resolve("blend-swap8.safetensors"));
        assertEquals(base.tensor("synthesis/b8/conv1/weight"), swap.tensor("synthesis/b8/conv1/weight"));
        assertEquals(target.tensor("synthesis/b32/conv1/weight"), swap.tensor("synthesis/b32/conv1/weight"));
        // the sweep's best keeps the base's structure: among the quick run's candidates a near-copy of the
        // target (closer in style, correlation at 16 px under the demo's 0.8 floor) must not win
        var rows = io.ukiyoe.swap.sweep.SweepResults.ranked(List.copyOf(
                io.ukiyoe.swap.sweep.SweepResults.read(out.resolve("sweep/results.csv")).values()));
        var bestRow = rows.get(0);
        assertTrue(bestRow.correlation16() >= 0.8, "best " + bestRow);
        assertTrue(rows.stream().anyMatch(row -> row.correlation16() < 0.8 && row.swd() < bestRow.swd()),
                "a candidate closer to the target in style but under the floor: " + rows);
        // an existing non-empty folder is refused with one line
        CliRun again = CliRun.of("demo", "--out", out.toString(), "--quick");
        assertEquals(2, again.exit());
        assertTrue(again.err().strip().endsWith("already exists and is not empty (choose another --out)"), again.err());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> s = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                s.add(img.getRGB(x, y));
            }
        }
        return s.size();
    }
}
