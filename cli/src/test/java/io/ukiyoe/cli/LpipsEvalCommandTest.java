package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval lpips on the lpips fixture's .npy pairs (against PyTorch's distances) and on PNG folders. */
class LpipsEvalCommandTest {
    private static final String VGG = Fixtures.file("lpips/tiny_lpips_vgg16.pth").toString();
    private static final String LIN = Fixtures.file("lpips/tiny_lpips_lin.pth").toString();

    @TempDir
    Path dir;

    private static double last(CliRun r, String prefix) {
        List<String> lines = r.out().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith(prefix), r.out());
        return Double.parseDouble(last.substring(prefix.length()).strip());
    }

    @Test
    void npyPairsGiveTheReferenceDistancesAndTheirMean() throws Exception {
        Path out = dir.resolve("d.npy");
        CliRun r = CliRun.of("eval", "lpips", "--a", Fixtures.file("lpips/tiny_b_x0.npy").toString(),
                "--b", Fixtures.file("lpips/tiny_b_x1.npy").toString(), "--vgg", VGG, "--lin", LIN, "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        float[] e = Npy.read(Fixtures.file("lpips/tiny_b_dist.npy")).data();
        Tensor d = Npy.read(out);
        assertEquals(2, d.data().length);
        for (int i = 0; i < 2; i++) {
            assertEquals(e[i], d.data()[i], 1e-4 * e[i]);
        }
        assertEquals((e[0] + e[1]) / 2, last(r, "LPIPS mean:"), 1e-4 * e[0]);
        // --out exists now: refused without --force, one line
        CliRun again = CliRun.of("eval", "lpips", "--a", Fixtures.file("lpips/tiny_b_x0.npy").toString(),
                "--b", Fixtures.file("lpips/tiny_b_x1.npy").toString(), "--vgg", VGG, "--lin", LIN, "--out", out.toString());
        assertTrue(again.exit() != 0 && again.err().strip().lines().count() == 1, again.err());
    }

    @Test
    void imageFoldersArePairedByNameAndMismatchesAreOneLineErrors() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        for (int i = 0; i < 3; i++) {
            BufferedImage x = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
            BufferedImage y = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 24 * 20; p++) {
                x.setRGB(p % 24, p / 24, (p * 7919 + i * 104729) & 0xffffff);
                y.setRGB(p % 24, p / 24, i == 1 ? (p * 7919 + i * 104729) & 0xffffff : (p * 31 + i) & 0xffffff);
            }
            Images.writePng(a.resolve("img" + i + ".png"), x);
            Images.writePng(b.resolve("img" + i + ".png"), y);
        }
        CliRun r = CliRun.of("eval", "lpips", "--a", a.toString(), "--b", b.toString(), "--vgg", VGG, "--lin", LIN);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pair 1: 0.000000"), r.out());
        assertTrue(last(r, "LPIPS mean:") > 0);
        Files.delete(b.resolve("img2.png"));
        CliRun bad = CliRun.of("eval", "lpips", "--a", a.toString(), "--b", b.toString(), "--vgg", VGG, "--lin", LIN);
        assertTrue(bad.exit() != 0, bad.out());
        assertTrue(bad.err().contains("3 images") && bad.err().strip().lines().count() == 1, bad.err());
    }
}
