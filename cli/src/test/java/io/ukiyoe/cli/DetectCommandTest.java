package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Decoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code data detect} and {@code data align --detect} on the MTCNN fixture (seeded random weights, ../shared/fixtures/mtcnn). */
class DetectCommandTest {
    static final Path MTCNN = ModelCommandsTest.FIX.resolve("mtcnn");

    /** The fixture configuration's file prefix ({@code <config>_config.json}; "tiny" in the visible set). */
    static String prefix() throws Exception {
        try (var files = Files.list(MTCNN)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_config.json")).sorted()
                    .findFirst().orElseThrow().replace("_config.json", "_");
        }
    }

    @TempDir
    Path dir;

    @Test
    void detectWritesTheReferenceFacesListsPhotosWithoutOneAndAlignReadsTheFile() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.copy(MTCNN.resolve(prefix() + "image.png"), photos.resolve("photo.png"));
        BufferedImage grey = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        ImageIO.write(grey, "png", photos.resolve("plain.png").toFile());
        Files.write(photos.resolve("broken.jpg"), new byte[] {1, 2, 3});
        Path out = dir.resolve("landmarks.json");
        Path grid = dir.resolve("grid.png");

        CliRun r = CliRun.of("data", "detect", "--images", photos.toString(), "--detector", MTCNN.toString(), "--out",
                out.toString(), "--grid", grid.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("plain.png: no face detected"), r.out());
        assertTrue(r.out().contains("broken.jpg: not a readable image"), r.out());
        long expected = Npy.read(MTCNN.resolve(prefix() + "detect_probs.npy")).numel();
        assertTrue(r.out().contains("found " + expected + " faces in 3 images"), r.out());
        assertTrue(Files.size(grid) > 0);

        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(out));
        assertEquals(0, root.get("plain.png").size());
        JsonNode faces = root.get("photo.png");
        Tensor boxes = Npy.read(MTCNN.resolve(prefix() + "detect_boxes.npy"));
        Tensor probs = Npy.read(MTCNN.resolve(prefix() + "detect_probs.npy"));
        Tensor points = Npy.read(MTCNN.resolve(prefix() + "detect_points.npy"));
        assertEquals(boxes.shape()[0], faces.size());
        for (int f = 0; f < faces.size(); f++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(boxes.data()[f * 4 + c], faces.get(f).get("box").get(c).asDouble(), 1e-3);
            }
            assertEquals(probs.data()[f], faces.get(f).get("probability").asDouble(), 1e-4);
            for (int k = 0; k < 10; k++) {
                assertEquals(points.data()[f * 10 + k], faces.get(f).get("points").get(k / 2).get(k % 2).asDouble(), 1e-3);
            }
        }

        // data align reads the file as it is; the plain photo is reported, not a crash
        Path aligned = dir.resolve("aligned");
        CliRun a = CliRun.of("data", "align", "--images", photos.toString(), "--landmarks", out.toString(), "--format",
                "five-point", "--size", "16", "--out", aligned.toString());
        assertEquals(0, a.exit(), a.err());
        String report = Files.readString(aligned.resolve("align-report.csv"));
        assertTrue(report.contains("plain.png,,skipped,,no faces"), report);
        assertTrue(report.contains("photo.png,0,"), report);

        // and detects by itself with --detect: the same faces, the plain photo reported as such
        Path aligned2 = dir.resolve("aligned2");
        CliRun d = CliRun.of("data", "align", "--images", photos.toString(), "--detect", MTCNN.toString(), "--size", "16",
                "--out", aligned2.toString());
        assertEquals(0, d.exit(), d.err());
        String report2 = Files.readString(aligned2.resolve("align-report.csv"));
        assertTrue(report2.contains("plain.png,,skipped,,no face detected"), report2);
        assertEquals(report.lines().filter(l -> l.startsWith("photo.png")).toList(),
                report2.lines().filter(l -> l.startsWith("photo.png")).toList());
        for (String name : Files.list(aligned).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).toList()) {
            assertEquals(-1, Files.mismatch(aligned.resolve(name), aligned2.resolve(name)), name);
        }
    }

    @Test
    void coordinatesAreThoseOfTheUprightImage() throws Exception {
        // the fixture photo stored turned 90 degrees anticlockwise, with EXIF orientation 6 ("turn clockwise to view")
        BufferedImage upright = ImageIO.read(MTCNN.resolve(prefix() + "image.png").toFile());
        int w = upright.getWidth();
        int h = upright.getHeight();
        BufferedImage stored = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                stored.setRGB(y, w - 1 - x, upright.getRGB(x, y));
            }
        }
        byte[] jpeg = withExifOrientation6(jpeg(stored));
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.write(photos.resolve("turned.jpg"), jpeg);
        BufferedImage decoded = Decoder.decode(jpeg);
        assertEquals(w, decoded.getWidth(), "the decoder turns it upright");
        ImageIO.write(decoded, "png", photos.resolve("upright.png").toFile());

        Path out = dir.resolve("lm.json");
        CliRun r = CliRun.of("data", "detect", "--images", photos.toString(), "--detector", MTCNN.toString(), "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(out));
        assertFalse(root.get("upright.png").isEmpty(), "faces in the JPEG's pixels");
        assertEquals(root.get("upright.png"), root.get("turned.jpg"));
    }

    @Test
    void missingDetectorFilesAreNamed() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.copy(MTCNN.resolve(prefix() + "image.png"), photos.resolve("photo.png"));
        Path det = Files.createDirectories(dir.resolve("det"));
        Files.copy(MTCNN.resolve("pnet.pt"), det.resolve("pnet.pt"));
        CliRun r = CliRun.of("data", "detect", "--images", photos.toString(), "--detector", det.toString(), "--out",
                dir.resolve("x.json").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("missing rnet.pt, onet.pt"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("x.json")));
        assertEquals(2, CliRun.of("data", "detect", "--images", photos.toString(), "--detector", MTCNN.toString(),
                "--out", dir.resolve("x.json").toString(), "--thresholds", "0.6,0.7").exit());
    }

    static byte[] jpeg(BufferedImage img) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.98f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream os = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(os);
            writer.write(null, new IIOImage(img, null, null), p);
        }
        writer.dispose();
        return bytes.toByteArray();
    }

    /** Inserts an APP1 EXIF segment with orientation 6 right after the JPEG's SOI marker. */
    static byte[] withExifOrientation6(byte[] jpeg) {
        byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12,
            0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + app1.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1, 0, out, 2, app1.length);
        System.arraycopy(jpeg, 2, out, 2 + app1.length, jpeg.length - 2);
        return out;
    }
}
