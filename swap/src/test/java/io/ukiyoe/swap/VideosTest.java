package io.ukiyoe.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.VideoWriter;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideosTest {
    static StyleGanModel base;
    static StyleGanModel target;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        base = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        target = Importer.importFile(Fixtures.file("rosinality_tiny_target.pt"), Importer.Format.AUTO);
    }

    static List<BufferedImage> gifFrames(Path p) throws Exception {
        ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = ImageIO.createImageInputStream(p.toFile())) {
            r.setInput(in);
            int n = r.getNumImages(true);
            java.util.ArrayList<BufferedImage> out = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(r.read(i));
            }
            return out;
        }
    }

    static double diff(BufferedImage a, BufferedImage b) {
        double d = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                d += Math.abs((p & 0xff) - (q & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff));
            }
        }
        return d / (a.getWidth() * a.getHeight());
    }

    @Test
    void swapVideoStepsFromTargetToBase() throws Exception {
        Path gif = dir.resolve("swap.gif");
        AtomicInteger progress = new AtomicInteger();
        Videos.Settings s = new Videos.Settings(32, 1, Generator.NoiseMode.CONST);
        try (VideoWriter w = VideoWriter.open(gif, 10)) {
            Videos.swap(base, target, List.of(0L, 1L), 2, false, s, w, progress::set);
        }
        List<BufferedImage> frames = gifFrames(gif);
        assertEquals(Videos.swapFrames(base, 2), frames.size()); // (4 resolutions + 1) steps x 2
        assertEquals(10, progress.get());
        assertEquals(64, frames.get(0).getWidth()); // two seeds side by side
        assertEquals(0, diff(frames.get(0), frames.get(1)), 1e-9, "frames within a step are equal");
        assertTrue(diff(frames.get(1), frames.get(2)) > 0.5, "each step changes the picture");
        // the last step is the base model itself, the first the target
        BufferedImage lastBase = rowOf(base, s);
        BufferedImage firstTarget = rowOf(target, s);
        assertTrue(diff(frames.get(frames.size() - 1), lastBase) < 8, "last frame = base");
        assertTrue(diff(frames.get(0), firstTarget) < 8, "first frame = target");
    }

    private BufferedImage rowOf(StyleGanModel m, Videos.Settings s) throws Exception {
        Path one = dir.resolve("one.gif");
        try (VideoWriter w = VideoWriter.open(one, 10)) {
            Videos.weights(m, m, List.of(0L, 1L), 1, s, w, f -> { });
        }
        return gifFrames(one).get(0);
    }

    @Test
    void weightsAndLatentVideosWriteMp4AndGif() throws Exception {
        Path mp4 = dir.resolve("avg.mp4");
        try (VideoWriter w = VideoWriter.open(mp4, 24)) {
            Videos.weights(base, target, List.of(0L), 5, new Videos.Settings(64, 0.7, Generator.NoiseMode.CONST), w,
                    f -> { });
            assertEquals(5, w.frames());
        }
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(mp4), 12);
        assertEquals("ftyp", new String(head, 4, 4, StandardCharsets.ISO_8859_1));
        assertTrue(new String(Files.readAllBytes(mp4), StandardCharsets.ISO_8859_1).contains("moov"));

        Path gif = dir.resolve("walk.gif");
        try (VideoWriter w = VideoWriter.open(gif, 10)) {
            Videos.latentWalk(base, List.of(1L, 7L, 42L), 4, true, new Videos.Settings(32, 1, Generator.NoiseMode.CONST),
                    w, f -> { });
        }
        List<BufferedImage> frames = gifFrames(gif);
        assertEquals(12, frames.size());
        assertTrue(diff(frames.get(0), frames.get(4)) > 0.5, "seed 1 and seed 7 differ");
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".tmp")));
        }
    }
}
