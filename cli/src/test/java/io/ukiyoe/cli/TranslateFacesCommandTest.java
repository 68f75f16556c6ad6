package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.data.align.FaceAlign;
import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.translate.Translator;
import io.ukiyoe.graphs.translate.Translators;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ukiyoe translate --landmarks | --detect}: faces of photos (an EXIF-rotated JPEG, a PNG with alpha, a
 * greyscale PNG, made here from {@code data synth} faces with their true landmarks) aligned, then translated by
 * the pix2pixHD fixture generator standing in for a student.
 */
class TranslateFacesCommandTest {
    static final int PHOTO = 128;
    static final int FACE = 64;

    @TempDir
    Path dir;
    Path g;
    Path photos;
    SynthFace.Rendered face;

    @BeforeEach
    void setUp() throws Exception {
        g = dir.resolve("student.safetensors");
        Importer.importAny(Fixtures.file("p2p/tiny_net_G_global.pth"), Importer.Format.AUTO).network().write(g);
        photos = Files.createDirectories(dir.resolve("photos"));
        face = SynthFace.render(SynthFace.Domain.PHOTO, PHOTO, 7);
    }

    /** The five points of the synthetic face (nose: between eyes and mouth) as data detect writes them. */
    String fivePoints() {
        SynthFace.Face f = face.face();
        double[][] p = {{f.eyeLeftX(), f.eyeLeftY()}, {f.eyeRightX(), f.eyeRightY()},
            {(f.eyeLeftX() + f.mouthRightX()) / 2, (f.eyeLeftY() + f.mouthRightY()) / 2}, {f.mouthLeftX(), f.mouthLeftY()},
            {f.mouthRightX(), f.mouthRightY()}};
        StringBuilder b = new StringBuilder("[{\"box\": [0, 0, 1, 1], \"probability\": 1, \"points\": [");
        for (int i = 0; i < 5; i++) {
            b.append(i == 0 ? "" : ", ").append('[').append(p[i][0]).append(", ").append(p[i][1]).append(']'); // exact doubles
        }
        return b.append("]}]").toString();
    }

    FaceAlign.Landmarks landmarks() {
        SynthFace.Face f = face.face();
        return new FaceAlign.Landmarks(new double[] {f.eyeLeftX(), f.eyeLeftY()}, new double[] {f.eyeRightX(), f.eyeRightY()},
                new double[] {f.mouthLeftX(), f.mouthLeftY()}, new double[] {f.mouthRightX(), f.mouthRightY()});
    }

    /** The photo as a camera held sideways stores it: rotated 90 degrees counter-clockwise, EXIF orientation 6. */
    static BufferedImage storedSideways(BufferedImage upright) {
        int w = upright.getWidth();
        int h = upright.getHeight();
        BufferedImage s = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < h; x++) {
                s.setRGB(x, y, upright.getRGB(w - 1 - y, x));   // orientation 6 shows s(y, w-1-x) at (x, y)
            }
        }
        return s;
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    static double meanLevelDifference(BufferedImage a, BufferedImage b) {
        int[] p = pixels(a);
        int[] q = pixels(b);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                sum += Math.abs(((p[i] >> shift) & 0xff) - ((q[i] >> shift) & 0xff));
            }
        }
        return sum / (3.0 * p.length);
    }

    static BufferedImage translated(Translator t, BufferedImage aligned) {
        var x = Ops.array(new Tensor(new long[] {1, 3, FACE, FACE}, Resample.toSquare(aligned, FACE, Resample.Fit.CROP)));
        return Images.toImage(t.translate(x).get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup());
    }

    @Test
    void everyFaceIsAlignedThenTranslatedWhateverThePhotoFormatAndPhotosWithoutOneAreReported() throws Exception {
        BufferedImage upright = face.image();
        Files.write(photos.resolve("sideways.jpg"), DetectCommandTest.withExifOrientation6(DetectCommandTest.jpeg(storedSideways(upright))));
        BufferedImage alpha = new BufferedImage(PHOTO, PHOTO, BufferedImage.TYPE_INT_ARGB);
        BufferedImage grey = new BufferedImage(PHOTO, PHOTO, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < PHOTO; y++) {
            for (int x = 0; x < PHOTO; x++) {
                int rgb = upright.getRGB(x, y) & 0xffffff;
                alpha.setRGB(x, y, ((x < PHOTO / 2 ? 0x40 : 0xff) << 24) | rgb);  // half see-through: colour still counts
                grey.getRaster().setSample(x, y, 0, (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3);
            }
        }
        ImageIO.write(alpha, "png", photos.resolve("alpha.png").toFile());
        ImageIO.write(grey, "png", photos.resolve("grey.png").toFile());
        ImageIO.write(new BufferedImage(PHOTO, PHOTO, BufferedImage.TYPE_INT_RGB), "png", photos.resolve("empty.png").toFile());
        String lm = fivePoints();
        Path landmarks = Files.writeString(dir.resolve("landmarks.json"), "{\"sideways.jpg\": " + lm + ", \"alpha.png\": " + lm
                + ", \"grey.png\": " + lm + ", \"empty.png\": []}");
        Path out = dir.resolve("out");
        Path grid = dir.resolve("grid.png");

        CliRun r = CliRun.of("translate", "--model", g.toString(), "--images", photos.toString(), "--landmarks", landmarks.toString(),
                "--format", "five-point", "--face-size", "" + FACE, "--out", out.toString(), "--grid", grid.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("3 face(s) from 4 photo(s)"), r.out());
        assertTrue(r.out().contains("empty.png: no faces"), r.out());
        List<String> report = Files.readAllLines(out.resolve("translate-report.csv"));
        assertTrue(report.contains("empty.png,,skipped,,no faces"), report.toString());
        assertTrue(report.contains("sideways.jpg,0,ok,sideways_0.png,"), report.toString());

        Translator t = Translators.load(g);
        FaceAlign.Landmarks truth = landmarks();
        BufferedImage reference = FaceAlign.align(upright, truth, FACE);
        for (String name : new String[] {"sideways.jpg", "alpha.png", "grey.png"}) {
            BufferedImage got = ImageIO.read(out.resolve(name.substring(0, name.indexOf('.')) + "_0.png").toFile());
            assertEquals(FACE, got.getWidth());
            // what the network makes of the face aligned from the decoded photo: the command's output exactly
            BufferedImage decoded = Decoder.decode(Files.readAllBytes(photos.resolve(name)));
            assertArrayEquals(pixels(translated(t, FaceAlign.align(decoded, truth, FACE))), pixels(got), name);
        }
        // the sideways JPEG was turned upright before alignment: its aligned face is the upright one up to JPEG loss
        BufferedImage sideways = FaceAlign.align(Decoder.decode(Files.readAllBytes(photos.resolve("sideways.jpg"))), truth, FACE);
        double upright0 = meanLevelDifference(reference, sideways);
        double unturned = meanLevelDifference(reference, FaceAlign.align(storedSideways(upright), truth, FACE));
        assertTrue(upright0 < 4 && unturned > 4 * upright0, "aligned from the EXIF-rotated JPEG: " + upright0
                + " levels off (ignoring EXIF: " + unturned + ")");
        // the alpha PNG keeps its colours under the transparent half: its face is the upright face exactly
        assertArrayEquals(pixels(reference), pixels(FaceAlign.align(Decoder.decode(Files.readAllBytes(photos.resolve("alpha.png"))),
                truth, FACE)));

        BufferedImage sheet = ImageIO.read(grid.toFile());
        int cell = FACE * (int) Math.ceil(96.0 / FACE);                  // labelled grids enlarge small cells
        assertEquals(2 + 3 * (cell + 2), sheet.getWidth());              // input | aligned | translated
        assertEquals(16 + 2 + 3 * (cell + 2), sheet.getHeight());        // a row per face under the labels
    }

    @Test
    void detectedFacesOrNoneAndAStyleGanFileAsStudent() throws Exception {
        Files.copy(DetectCommandTest.MTCNN.resolve(DetectCommandTest.prefix() + "image.png"), photos.resolve("photo.png"));
        ImageIO.write(new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB), "png", photos.resolve("plain.png").toFile());
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("translate", "--model", g.toString(), "--images", photos.toString(), "--detect",
                DetectCommandTest.MTCNN.toString(), "--face-size", "" + FACE, "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("plain.png: no face detected"), r.out());
        List<String> report = Files.readAllLines(out.resolve("translate-report.csv"));
        assertTrue(report.contains("plain.png,,skipped,,no face detected"), report.toString());
        // the fixture's random-weight MTCNN finds faces in its image: each has a row, translated or skipped with the reason
        assertTrue(report.stream().anyMatch(l -> l.startsWith("photo.png,0,")), report.toString());
        for (String l : report.subList(1, report.size())) {
            String[] f = l.split(",", -1);
            if (f[2].equals("ok")) {
                assertTrue(Files.exists(out.resolve(f[3])), l);
            } else {
                assertFalse(f[4].isEmpty(), l);
            }
        }

        Path styleGan = dir.resolve("stylegan.safetensors");
        Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO).write(styleGan);
        r = CliRun.of("translate", "--model", styleGan.toString(), "--images", photos.toString(), "--detect",
                DetectCommandTest.MTCNN.toString(), "--out", dir.resolve("x").toString());
        assertEquals(1, r.exit());
        assertEquals(styleGan + ": a StyleGAN2 generator, not an image-to-image network (give a student from "
                + "'ukiyoe distill train' or an imported pix2pixHD generator)", r.err().strip());
        assertFalse(Files.exists(dir.resolve("x")));

        r = CliRun.of("translate", "--model", g.toString(), "--images", photos.toString(), "--landmarks",
                dir.resolve("none.json").toString(), "--format", "five-point", "--out", dir.resolve("y").toString());
        assertEquals(1, r.exit());
        assertEquals(dir.resolve("none.json") + ": no such file or folder", r.err().strip());
        r = CliRun.of("translate", "--model", g.toString(), "--images", photos.toString(), "--grid", "g.png", "--out",
                dir.resolve("y").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("translate: give --landmarks PATH --format FMT, or --detect DIR"), r.err());
    }
}
