package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.align.FaceAlign;
import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ukiyoe toonify} on the shipped 32 px demo models (base, target standing in for the blended model,
 * distilled student): faces of photos aligned from landmarks (an EXIF-rotated JPEG among them) or found by
 * MTCNN, the student's column, photos without a face reported, and {@code kind: toonify} configs with flags
 * overriding their keys.
 */
class ToonifyCommandTest {
    static final int PHOTO = 128;
    static final int FACE = 32;          // the demo models' resolution: faces are aligned at it

    @TempDir
    Path dir;
    Path base;
    Path blended;
    Path student;
    Path photos;
    SynthFace.Rendered face;
    TranslateFacesCommandTest faces;

    static Path demo(String name, Path to) throws Exception {
        try (InputStream in = ToonifyCommandTest.class.getResourceAsStream("/io/ukiyoe/demo/" + name)) {
            Files.copy(in, to);
        }
        return to;
    }

    @BeforeEach
    void setUp() throws Exception {
        base = demo(DemoCommand.BASE, dir.resolve("base.safetensors"));
        blended = demo(DemoCommand.TARGET, dir.resolve("blended.safetensors"));
        student = demo(DemoCommand.STUDENT, dir.resolve("student.safetensors"));
        photos = Files.createDirectories(dir.resolve("photos"));
        faces = new TranslateFacesCommandTest();
        face = SynthFace.render(SynthFace.Domain.PHOTO, PHOTO, 7);
        faces.face = face;
    }

    /** face.png upright, sideways.jpg stored turned with EXIF orientation 6, empty.png with no landmarks; the landmarks file. */
    Path photosWithLandmarks() throws Exception {
        ImageIO.write(face.image(), "png", photos.resolve("face.png").toFile());
        Files.write(photos.resolve("sideways.jpg"), DetectCommandTest.withExifOrientation6(DetectCommandTest.jpeg(
                TranslateFacesCommandTest.storedSideways(face.image()))));
        ImageIO.write(new BufferedImage(PHOTO, PHOTO, BufferedImage.TYPE_INT_RGB), "png", photos.resolve("empty.png").toFile());
        String lm = faces.fivePoints();
        return Files.writeString(dir.resolve("landmarks.json"), "{\"face.png\": " + lm + ", \"sideways.jpg\": " + lm
                + ", \"empty.png\": []}");
    }

    static BufferedImage read(Path p) throws Exception {
        return ImageIO.read(p.toFile());
    }

    @Test
    void alignedFacesGetTheBlendedRenderingAndTheStudentsPictureAndPhotosWithoutAFaceAreReported() throws Exception {
        Path landmarks = photosWithLandmarks();
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("toonify", "--base", base.toString(), "--blended", blended.toString(), "--images", photos.toString(),
                "--landmarks", landmarks.toString(), "--format", "five-point", "--student", student.toString(), "--steps", "2",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("empty.png: no faces"), r.out());
        assertTrue(r.out().contains("2 face(s) from 3 photo(s)"), r.out());
        List<String> report = Files.readAllLines(out.resolve("toonify-report.csv"));
        assertEquals(List.of("image,face,status,output,reason", "empty.png,,skipped,,no faces",
                "face.png,0,ok,face_0-ukiyoe.png,", "sideways.jpg,0,ok,sideways_0-ukiyoe.png,"), report);
        for (String f : new String[] {"face_0.npz", "face_0-projected.png", "face_0-trace.csv", "face_0-ukiyoe.png",
            "face_0-student.png", "face_0-aligned.png", "face_0-grid.png", "sideways_0-student.png", "grid.png", "trace.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // the aligned face is the FFHQ alignment of the decoded photo from its landmarks, at the base's resolution
        FaceAlign.Landmarks truth = faces.landmarks();
        BufferedImage aligned = FaceAlign.align(Decoder.decode(Files.readAllBytes(photos.resolve("face.png"))), truth, FACE);
        assertArrayEquals(TranslateFacesCommandTest.pixels(aligned), TranslateFacesCommandTest.pixels(read(out.resolve("face_0-aligned.png"))));
        // the EXIF-rotated JPEG was turned upright first: its aligned face is the upright one up to JPEG loss
        double jpegLoss = TranslateFacesCommandTest.meanLevelDifference(aligned, read(out.resolve("sideways_0-aligned.png")));
        assertTrue(jpegLoss < 4, "sideways photo's aligned face is " + jpegLoss + " levels off the upright one");

        // the student's picture is what 'translate' makes of the same face with the same student
        Path translated = dir.resolve("translated");
        r = CliRun.of("translate", "--model", student.toString(), "--images", photos.toString(), "--landmarks", landmarks.toString(),
                "--format", "five-point", "--face-size", "" + FACE, "--out", translated.toString());
        assertEquals(0, r.exit(), r.err());
        for (String stem : new String[] {"face_0", "sideways_0"}) {
            assertArrayEquals(TranslateFacesCommandTest.pixels(read(translated.resolve(stem + ".png"))),
                    TranslateFacesCommandTest.pixels(read(out.resolve(stem + "-student.png"))), stem);
        }
        // grids: photo | aligned | projection | blended | student (labelled sheets enlarge 32 px cells to 96)
        int cell = FACE * (int) Math.ceil(96.0 / FACE);
        BufferedImage one = read(out.resolve("face_0-grid.png"));
        assertEquals(2 + 5 * (cell + 2), one.getWidth());
        assertEquals(16 + 2 + (cell + 2), one.getHeight());
        BufferedImage all = read(out.resolve("grid.png"));
        assertEquals(2 + 5 * (cell + 2), all.getWidth());
        assertEquals(16 + 2 + 2 * (cell + 2), all.getHeight());     // a row per face
    }

    @Test
    void detectedFacesOfRawPhotosAndAStyleGanFileAsStudentIsAOneLineError() throws Exception {
        ImageIO.write(new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB), "png", photos.resolve("plain.png").toFile());
        // no face anywhere: the report says why, nothing is projected, no crash
        Path none = dir.resolve("none");
        CliRun r = CliRun.of("toonify", "--base", base.toString(), "--blended", blended.toString(), "--images", photos.toString(),
                "--detect", DetectCommandTest.MTCNN.toString(), "--steps", "2", "--out", none.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("plain.png: no face detected") && r.out().contains("0 face(s) from 1 photo(s)"), r.out());
        assertEquals(List.of("image,face,status,output,reason", "plain.png,,skipped,,no face detected"),
                Files.readAllLines(none.resolve("toonify-report.csv")));
        assertFalse(Files.exists(none.resolve("trace.png")));

        Files.copy(DetectCommandTest.MTCNN.resolve(DetectCommandTest.prefix() + "image.png"), photos.resolve("photo.png"));
        Path out = dir.resolve("out");
        r = CliRun.of("toonify", "--base", base.toString(), "--blended", blended.toString(), "--images", photos.toString(),
                "--detect", DetectCommandTest.MTCNN.toString(), "--student", student.toString(), "--steps", "1",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> report = Files.readAllLines(out.resolve("toonify-report.csv"));
        assertTrue(report.contains("plain.png,,skipped,,no face detected"), report.toString());
        // the fixture's random-weight MTCNN finds faces in its image: each is toonified or skipped with the reason
        long ok = 0;
        for (String l : report.subList(1, report.size())) {
            String[] f = l.split(",", -1);
            if (f[2].equals("ok")) {
                String stem = f[3].replace("-ukiyoe.png", "");
                for (String suffix : new String[] {"-ukiyoe.png", "-student.png", "-aligned.png", "-grid.png", ".npz"}) {
                    assertTrue(Files.exists(out.resolve(stem + suffix)), stem + suffix);
                }
                ok++;
            } else {
                assertFalse(f[4].isEmpty(), l);
            }
        }
        assertTrue(ok > 0, report.toString());
        assertTrue(r.out().contains(ok + " face(s) from 2 photo(s)"), r.out());

        Path styleGan = dir.resolve("stylegan.safetensors");
        Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO).write(styleGan);
        r = CliRun.of("toonify", "--base", base.toString(), "--blended", blended.toString(), "--images", photos.toString(),
                "--detect", DetectCommandTest.MTCNN.toString(), "--student", styleGan.toString(), "--out", dir.resolve("x").toString());
        assertEquals(1, r.exit());
        assertEquals(styleGan + ": a StyleGAN2 generator, not an image-to-image network (give a student from "
                + "'ukiyoe distill train' or an imported pix2pixHD generator)", r.err().strip());
        assertFalse(Files.exists(dir.resolve("x")));
        r = CliRun.of("toonify", "--base", base.toString(), "--blended", blended.toString(), "--images", photos.toString(),
                "--detect", dir.resolve("nowhere").toString(), "--out", dir.resolve("x").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("pnet.pt"), r.err());
    }

    @Test
    void aToonifyConfigRunsWithFlagsOverridingItsKeysAndBadKeysAreOneLineErrors() throws Exception {
        Path landmarks = photosWithLandmarks();
        Files.delete(photos.resolve("sideways.jpg"));
        Path cfg = Files.writeString(dir.resolve("toonify.yaml"), String.join("\n",
                "kind: toonify",
                "base: " + base,
                "blended: " + blended,
                "images: " + photos,
                "landmarks: {file: " + landmarks + ", format: five-point}",
                "student: " + student,
                "lpips: {vgg: " + Fixtures.file("lpips/tiny_lpips_vgg16.pth") + ", lin: " + Fixtures.file("lpips/tiny_lpips_lin.pth") + "}",
                "projection: {steps: 3, w_plus: true}",
                "out: " + dir.resolve("from-file"), ""));
        Path out = dir.resolve("from-flags");
        CliRun r = CliRun.of("toonify", cfg.toString(), "--steps", "1", "--images", photos.resolve("face.png").toString(),
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("image,face,status,output,reason", "face.png,0,ok,face_0-ukiyoe.png,"),   // --images: one photo file
                Files.readAllLines(out.resolve("toonify-report.csv")));
        assertTrue(r.err().contains("LPIPS"), r.err());                             // lpips: from the file
        assertFalse(Files.exists(dir.resolve("from-file")));                        // --out won over out:
        assertEquals(2, Files.readAllLines(out.resolve("face_0-trace.csv")).size());  // --steps 1 over steps: 3
        var w = io.ukiyoe.core.io.Npy.readNpz(out.resolve("face_0.npz")).get("w");
        assertTrue(w.shape()[1] > 1, "w_plus from the file");
        assertTrue(Files.exists(out.resolve("face_0-student.png")));                 // student: from the file

        r = CliRun.of("toonify", cfg.toString(), "--set", "projection.stepz=2");
        assertEquals(2, r.exit());
        assertEquals("--set projection.stepz=2: unknown key 'stepz' in projection (did you mean 'steps'?)", r.err().strip());
        r = CliRun.of("toonify", cfg.toString(), "--steps", "many");
        assertEquals(2, r.exit());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().startsWith("--steps many: projection.steps"), r.err());
        r = CliRun.of("toonify", cfg.toString(), "--format", "dlib5");
        assertEquals(2, r.exit());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("landmarks.format"), r.err());
        r = CliRun.of("toonify", cfg.toString(), "--detect", DetectCommandTest.MTCNN.toString());
        assertEquals(2, r.exit());
        assertEquals("toonify: faces come from landmarks or from the detector, not both", r.err().strip());
        r = CliRun.of("toonify", "--base", base.toString());
        assertEquals(2, r.exit());
        assertEquals("toonify: --base, --blended, --images and --out are required (or give a CONFIG.yaml)", r.err().strip());

        // the example config parses, every default filled in
        r = CliRun.of("check", Path.of("..", "configs", "toonify-ukiyoe.yaml").toString(), "--print");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("valid 'toonify' config") && r.out().contains("detector:") && r.out().contains("lpips:")
                && r.out().contains("latent_noise: 0.05"), r.out());
    }
}
