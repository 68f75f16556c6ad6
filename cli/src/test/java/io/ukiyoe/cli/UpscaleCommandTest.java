package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ukiyoe import} of ESRGAN weights and {@code ukiyoe data upscale} with the reference fixtures. */
class UpscaleCommandTest {
    static final Path BASICSR = Fixtures.file("esrgan/tiny_RRDBNet_x4_basicsr_params_ema.pth");
    static final Path ORIGINAL = Fixtures.file("esrgan/tiny_RRDBNet_x4.pth");

    @TempDir
    Path dir;

    private static void assertWithinTolerance(float[] ref, float[] got, String what) {
        assertEquals(ref.length, got.length, what);
        for (int i = 0; i < ref.length; i++) {
            assertTrue(Math.abs(ref[i] - got[i]) <= 1e-4 * Math.max(1, Math.abs(ref[i])),
                    what + ": element " + i + " " + got[i] + " vs " + ref[i]);
        }
    }

    @Test
    void importedModelUpscalesTheReferenceBatchAndTilesBlendClosely() throws Exception {
        Path model = dir.resolve("esrgan.safetensors");
        CliRun imp = CliRun.of("import", BASICSR.toString(), "--out", model.toString());
        assertEquals(0, imp.exit(), imp.err());
        assertTrue(imp.out().contains("ESRGAN RRDBNet x4 (nf "), imp.out());

        CliRun up = CliRun.of("data", "upscale", "--model", model.toString(), "--input",
                Fixtures.file("esrgan/tiny_input.npy").toString(), "--npy", "--out", dir.resolve("o").toString());
        assertEquals(0, up.exit(), up.err());
        Tensor ref = Npy.read(Fixtures.file("esrgan/tiny_out.npy"));
        Tensor got = Npy.read(dir.resolve("o/images.npy"));
        assertArrayEquals(ref.shape(), got.shape());
        assertWithinTolerance(ref.data(), got.data(), "images.npy");

        // a larger batch: tiles of 12 with 6 shared, against whole images (the .pth loads directly too)
        Random r = new Random(3);
        Tensor x = Tensor.zeros(1, 3, 22, 30);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = r.nextFloat();
        }
        Path in = dir.resolve("x.npy");
        Npy.write(in, x);
        assertEquals(0, CliRun.of("data", "upscale", "--model", ORIGINAL.toString(), "--input", in.toString(), "--npy",
                "--tile", "0", "--out", dir.resolve("whole").toString()).exit());
        CliRun tiled = CliRun.of("data", "upscale", "--model", model.toString(), "--input", in.toString(), "--npy",
                "--tile", "12", "--tile-overlap", "6", "--out", dir.resolve("tiled").toString());
        assertEquals(0, tiled.exit(), tiled.err());
        float[] a = Npy.read(dir.resolve("whole/images.npy")).data();
        float[] b = Npy.read(dir.resolve("tiled/images.npy")).data();
        double worst = 0;
        double mean = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            mean += Math.abs(a[i] - b[i]) / a.length;
        }
        assertTrue(worst > 0, "tiles of 12 px really were tiles");
        assertTrue(worst < 0.05 && mean < 0.005, "tiled vs whole: worst " + worst + ", mean " + mean);
    }

    @Test
    void imagesBecomeFourTimesLargerPngsInRgbOrder() throws Exception {
        Path images = dir.resolve("scans");
        Files.createDirectories(images);
        BufferedImage img = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
        float[] planes = new float[3 * 12 * 16];
        Random r = new Random(8);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                int rgb = r.nextInt(1 << 24);
                img.setRGB(x, y, rgb);
                planes[y * 16 + x] = ((rgb >> 16) & 0xff) / 255f;
                planes[192 + y * 16 + x] = ((rgb >> 8) & 0xff) / 255f;
                planes[384 + y * 16 + x] = (rgb & 0xff) / 255f;
            }
        }
        ImageIO.write(img, "png", images.resolve("a.png").toFile());
        Npy.write(dir.resolve("a.npy"), new Tensor(new long[] {1, 3, 12, 16}, planes));
        CliRun up = CliRun.of("data", "upscale", "--model", ORIGINAL.toString(), "--images", images.toString(),
                "--out", dir.resolve("big").toString(), "--tile", "0");
        assertEquals(0, up.exit(), up.err());
        assertTrue(up.out().startsWith("upscaled 1 images x4"), up.out());
        assertEquals(0, CliRun.of("data", "upscale", "--model", ORIGINAL.toString(), "--input",
                dir.resolve("a.npy").toString(), "--npy", "--out", dir.resolve("raw").toString(), "--tile", "0").exit());
        float[] raw = Npy.read(dir.resolve("raw/images.npy")).data();
        BufferedImage big = ImageIO.read(dir.resolve("big/a.png").toFile());
        assertEquals(64, big.getWidth());
        assertEquals(48, big.getHeight());
        int plane = 64 * 48;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int rgb = big.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int expected = (int) Math.round(Math.max(0, Math.min(1, raw[c * plane + y * 64 + x])) * 255.0);
                    assertEquals(expected, (rgb >> (16 - 8 * c)) & 0xff, 1, "pixel " + x + "," + y + " channel " + c);
                }
            }
        }
    }

    @Test
    void badModelsAndArgumentsAreOneLineErrorsWithoutOutput() throws Exception {
        Path broken = dir.resolve("broken.pth");
        byte[] full = Files.readAllBytes(ORIGINAL);
        Files.write(broken, java.util.Arrays.copyOf(full, full.length / 2));
        Path out = dir.resolve("out");
        CliRun bad = CliRun.of("data", "upscale", "--model", broken.toString(), "--input",
                Fixtures.file("esrgan/tiny_input.npy").toString(), "--npy", "--out", out.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith(broken.toString()), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertFalse(Files.exists(out.resolve("images.npy")));
        CliRun imp = CliRun.of("import", broken.toString(), "--out", dir.resolve("m.safetensors").toString());
        assertEquals(1, imp.exit());
        assertEquals(1, imp.err().strip().lines().count(), imp.err());
        assertFalse(Files.exists(dir.resolve("m.safetensors")));
        assertEquals(2, CliRun.of("data", "upscale", "--model", ORIGINAL.toString(), "--out", out.toString()).exit());
        assertEquals(2, CliRun.of("data", "upscale", "--model", ORIGINAL.toString(), "--images", "x", "--tile", "8",
                "--tile-overlap", "8", "--out", out.toString()).exit());
    }

    @Test
    void alignUpscalesSmallFacesWithTheGivenWeights() throws Exception {
        BufferedImage photo = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = photo.createGraphics();
        g.setColor(new java.awt.Color(120, 100, 90));
        g.fillRect(0, 0, 120, 80);
        g.dispose();
        Path images = dir.resolve("photos");
        Files.createDirectories(images);
        ImageIO.write(photo, "png", images.resolve("p.png").toFile());
        // five points (eyes, nose, mouth corners): a 40 px square and a 12 px one
        Files.writeString(dir.resolve("lm.csv"), "p.png,30,30,40,30,35,34,32.5,38,37.5,38\n"
                + "p.png,80,40,83,40,81.5,41,80.75,42.4,82.25,42.4\n");
        Path out = dir.resolve("aligned");
        CliRun r = CliRun.of("data", "align", "--images", images.toString(), "--landmarks", dir.resolve("lm.csv").toString(),
                "--format", "five-point", "--size", "16", "--upscale-below", "20", "--upscaler", ORIGINAL.toString(),
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 upscaled first"), r.out());
        List<String> report = Files.readAllLines(out.resolve("align-report.csv"));
        assertEquals("p.png,0,ok,p_0.png,,no", report.get(1));
        assertEquals("p.png,1,ok,p_1.png,,yes", report.get(2));
        assertEquals(16, ImageIO.read(out.resolve("p_1.png").toFile()).getWidth());
        assertEquals(2, CliRun.of("data", "align", "--images", images.toString(), "--landmarks",
                dir.resolve("lm.csv").toString(), "--format", "five-point", "--upscale-below", "20", "--out", out.toString()).exit());
    }
}
