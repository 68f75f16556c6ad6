package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ukiyoe project on the tiny fixture model and the projector fixture's target: the files and their
 * shapes, --stop-after runs the first steps of the longer schedule exactly, and --start-latent /
 * --start-noise continue from a saved projection.
 */
class ProjectCommandTest {
    private static final String MODEL = Fixtures.file("rosinality_tiny.pt").toString();
    private static final String TARGET = Fixtures.file("projector/tiny_target.npy").toString();
    private static final String VGG = Fixtures.file("lpips/tiny_lpips_vgg16.pth").toString();
    private static final String LIN = Fixtures.file("lpips/tiny_lpips_lin.pth").toString();

    @TempDir
    Path dir;

    private static List<String> rows(Path csv) throws Exception {
        return Files.readAllLines(csv);
    }

    @Test
    void writesLatentNoiseImageTraceAndStopsAfterKStepsOfTheSchedule() throws Exception {
        Path a = dir.resolve("a");
        CliRun r = CliRun.of("project", "--model", MODEL, "--target", TARGET, "--lpips-vgg", VGG, "--lpips-lin", LIN,
                "--steps", "6", "--w-plus", "--out", a.toString());
        assertEquals(0, r.exit(), r.err());
        Map<String, Tensor> npz = Npy.readNpz(a.resolve("tiny_target.npz"));
        assertArrayEquals(new long[] {1, 8, 64}, npz.get("w").shape());
        assertArrayEquals(new long[] {1, 1, 4, 4}, npz.get("noise_0").shape());
        assertArrayEquals(new long[] {1, 1, 32, 32}, npz.get("noise_6").shape());
        assertEquals(8, npz.size());
        assertTrue(Files.size(a.resolve("tiny_target-projected.png")) > 0 && Files.size(a.resolve("trace.png")) > 0);
        List<String> full = rows(a.resolve("tiny_target-trace.csv"));
        assertEquals("step,lr,p_loss,n_loss,mse_loss,loss", full.get(0));
        assertEquals(7, full.size());
        assertTrue(r.err().contains("p_loss"), r.err());

        Path b = dir.resolve("b");
        r = CliRun.of("project", "--model", MODEL, "--target", TARGET, "--lpips-vgg", VGG, "--lpips-lin", LIN,
                "--steps", "6", "--stop-after", "3", "--w-plus", "--out", b.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> part = rows(b.resolve("tiny_target-trace.csv"));
        assertEquals(full.subList(0, 4), part, "the same seed gives the same first steps");

        // continue from the saved latent and noise, latent noise off: its step 0 is the saved state's loss
        Path c = dir.resolve("c");
        Path latent = dir.resolve("w.npy");
        Npy.write(latent, Npy.readNpz(b.resolve("tiny_target.npz")).get("w"));
        r = CliRun.of("project", "--model", MODEL, "--target", TARGET, "--lpips-vgg", VGG, "--lpips-lin", LIN,
                "--steps", "6", "--stop-after", "1", "--w-plus", "--latent-noise", "0", "--start-latent", latent.toString(),
                "--start-noise", b.resolve("tiny_target.npz").toString(), "--out", c.toString());
        assertEquals(0, r.exit(), r.err());
        String[] cont = rows(c.resolve("tiny_target-trace.csv")).get(1).split(",");
        String[] next = full.get(4).split(",");
        // step 3 of the first run had latent noise on its input; the noise penalty depends only on the maps
        assertEquals(Double.parseDouble(next[3]), Double.parseDouble(cont[3]), 1e-5 * Double.parseDouble(next[3]));
    }

    @Test
    void fallbackLossWithoutLpipsAndOneLineErrors() throws Exception {
        Path a = dir.resolve("a");
        CliRun r = CliRun.of("project", "--model", MODEL, "--target", TARGET, "--steps", "2", "--out", a.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("pixel pyramid"), r.err());
        assertArrayEquals(new long[] {1, 8, 64}, Npy.readNpz(a.resolve("tiny_target.npz")).get("w").shape());
        // outputs exist: refused without --force
        r = CliRun.of("project", "--model", MODEL, "--target", TARGET, "--steps", "2", "--out", a.toString());
        assertTrue(r.exit() != 0 && r.err().strip().lines().count() == 1, r.err());
        Path badNoise = dir.resolve("bad.npz");
        Npy.writeNpz(badNoise, Map.of("noise_0", Tensor.zeros(1, 1, 8, 8)));
        r = CliRun.of("project", "--model", MODEL, "--target", TARGET, "--steps", "2", "--start-noise", badNoise.toString(),
                "--out", dir.resolve("b").toString());
        assertTrue(r.exit() != 0 && r.err().contains("noise_0") && r.err().strip().lines().count() == 1, r.err());
        r = CliRun.of("project", "--model", MODEL, "--target", VGG, "--steps", "2", "--out", dir.resolve("c").toString());
        assertTrue(r.exit() != 0 && r.err().strip().lines().count() == 1, r.err());
    }

    @Test
    void toonifyRendersTheBaseProjectionWithTheBlendedModel() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.copy(Fixtures.file("projector/tiny_target_src.png"), photos.resolve("face.png"));
        Path out = dir.resolve("toon");
        String blended = Fixtures.file("rosinality_tiny_target.pt").toString();
        CliRun r = CliRun.of("toonify", "--base", MODEL, "--blended", blended, "--images", photos.toString(), "--steps", "3",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        for (String f : new String[] {"face.npz", "face-projected.png", "face-trace.csv", "face-ukiyoe.png", "face-grid.png", "trace.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // the blended picture is the saved state through the blended model, and not the base's picture
        var state = Npy.readNpz(out.resolve("face.npz"));
        var expected = io.ukiyoe.data.Images.toImage(new io.ukiyoe.training.project.LatentRenderer(
                io.ukiyoe.graphs.imports.Importer.importFile(Path.of(blended), io.ukiyoe.graphs.imports.Importer.Format.AUTO))
                .render(state).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
        var ukiyoe = javax.imageio.ImageIO.read(out.resolve("face-ukiyoe.png").toFile());
        var projected = javax.imageio.ImageIO.read(out.resolve("face-projected.png").toFile());
        int same = 0;
        int differs = 0;
        for (int y = 0; y < ukiyoe.getHeight(); y++) {
            for (int x = 0; x < ukiyoe.getWidth(); x++) {
                same += ukiyoe.getRGB(x, y) == expected.getRGB(x, y) ? 1 : 0;
                differs += ukiyoe.getRGB(x, y) != projected.getRGB(x, y) ? 1 : 0;
            }
        }
        assertEquals(ukiyoe.getWidth() * ukiyoe.getHeight(), same);
        assertTrue(differs > 0);
        CliRun again = CliRun.of("toonify", "--base", MODEL, "--blended", blended, "--images", photos.toString(), "--steps", "3",
                "--out", out.toString());
        assertTrue(again.exit() != 0 && again.err().strip().lines().count() == 1, again.err());
    }
}
