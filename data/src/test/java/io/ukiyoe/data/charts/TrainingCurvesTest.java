package io.ukiyoe.data.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {
    @TempDir
    Path dir;

    @Test
    void seriesComeFromTheLogAndThePngIsDrawn() throws Exception {
        Files.writeString(dir.resolve("metrics.jsonl"), """
                {"step":1,"kimg":0.004,"loss_D":1.5,"loss_G":0.7,"r1":0.2,"path_length":null,"ada_p":0.0,"images_per_s":3.1}
                {"step":2,"kimg":0.008,"loss_D":1.25,"loss_G":0.9,"r1":null,"path_length":0.5,"ada_p":0.01,"images_per_s":3.3}
                {"step":2,"kimg":0.008,"fid":123.5}
                {"step":3,"kimg":0.012,"loss_D":1.0,"lo
                """);
        Chart c = TrainingCurves.of(dir.resolve("metrics.jsonl"), "run");
        assertEquals(List.of("losses", "r1", "path_length", "ada_p", "fid"), c.panels().stream().map(Chart.Panel::title).toList());
        Chart.Series d = c.panel("losses").series().get(0);
        assertEquals("loss_D", d.name());
        assertArrayEquals(new double[] {0.004, 0.008}, d.x(), "against kimg; the cut-off last line is skipped");
        assertArrayEquals(new double[] {1.5, 1.25}, d.y());
        assertEquals("loss_G", c.panel("losses").series().get(1).name());
        assertTrue(Double.isNaN(c.panel("r1").series().get(0).y()[1]), "null is a gap");
        assertArrayEquals(new double[] {123.5}, c.panel("fid").series().get(0).y());
        assertFalse(c.panels().stream().anyMatch(p -> p.title().equals("images_per_s")), "throughput is not a curve");

        TrainingCurves.write(dir);
        BufferedImage png = ImageIO.read(dir.resolve(TrainingCurves.FILE).toFile());
        assertEquals(3 * 520, png.getWidth(), "three columns");
        assertEquals(36 + 2 * 320, png.getHeight(), "two rows for five panels");
        assertTrue(distinctColours(png) > 8, "something is drawn");
    }

    @Test
    void stepIsTheAxisWithoutKimgAndNoLogMeansNoChart() throws Exception {
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":1,\"epoch\":1,\"lr\":0.0002,\"loss_G_A\":2.0}\n"
                + "{\"step\":2,\"epoch\":1,\"lr\":0.0002,\"loss_G_A\":1.0}\n");
        Chart c = TrainingCurves.of(dir.resolve("metrics.jsonl"), "cyclegan");
        assertEquals("step", c.panel("losses").xLabel());
        assertArrayEquals(new double[] {1, 2}, c.panel("lr").series().get(0).x());
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        TrainingCurves.refresh(empty, w -> { throw new AssertionError(w); });
        assertFalse(Files.exists(empty.resolve(TrainingCurves.FILE)));
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
