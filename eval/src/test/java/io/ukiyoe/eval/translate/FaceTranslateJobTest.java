package io.ukiyoe.eval.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.FaceAlign;
import io.ukiyoe.data.synth.SynthFace;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faces of photos: several per photo, skipped ones and photos without any, all in the report. */
class FaceTranslateJobTest {
    @TempDir
    Path dir;

    static FaceAlign.Landmarks shifted(SynthFace.Face f, double dx) {
        return new FaceAlign.Landmarks(new double[] {f.eyeLeftX() + dx, f.eyeLeftY()}, new double[] {f.eyeRightX() + dx, f.eyeRightY()},
                new double[] {f.mouthLeftX() + dx, f.mouthLeftY()}, new double[] {f.mouthRightX() + dx, f.mouthRightY()});
    }

    @Test
    void everyFaceOfEveryPhotoIsTranslatedAndEveryMissOrSkipHasItsReason() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        SynthFace.Rendered r = SynthFace.render(SynthFace.Domain.PHOTO, 96, 3);
        ImageIO.write(r.image(), "png", in.resolve("two.png").toFile());
        ImageIO.write(r.image(), "png", in.resolve("none.png").toFile());
        Files.write(in.resolve("broken.jpg"), new byte[] {1, 2, 3});
        List<FaceAlign.Landmarks> faces = List.of(shifted(r.face(), 0), shifted(r.face(), 3), shifted(r.face(), 400));
        AlignJob.FaceSource source = (name, img) -> name.equals("two.png") ? faces : name.equals("none.png") ? List.of() : null;
        TranslateJobTest.Negate negate = new TranslateJobTest.Negate();
        Path out = dir.resolve("out");
        int[] progress = new int[1];
        FaceTranslateJob.Summary s = FaceTranslateJob.run(negate, in, source, new FaceTranslateJob.Options(out, 32,
                dir.resolve("grid.png")), i -> progress[0] = i);

        assertEquals(3, s.images());
        assertEquals(3, progress[0]);
        assertEquals(2, s.translated());
        assertEquals(1, s.skippedFaces());
        assertEquals(Map.of("broken.jpg", "not a readable image", "none.png", "no faces"), s.withoutFaces());
        assertEquals(List.of("image,face,status,output,reason", "broken.jpg,,skipped,,not a readable image",
                "none.png,,skipped,,no faces", "two.png,0,ok,two_0.png,", "two.png,1,ok,two_1.png,",
                "two.png,2,skipped,,face mostly outside the frame"), Files.readAllLines(out.resolve(FaceTranslateJob.REPORT)));
        assertEquals(List.of(1L, 3L, 32L, 32L), java.util.Arrays.stream(negate.batches.get(0)).boxed().toList());

        // face 1 is the negative of the photo aligned at its landmarks (Negate maps x to -x: 255 - v, up to rounding)
        BufferedImage aligned = FaceAlign.align(r.image(), faces.get(1), 32);
        BufferedImage got = ImageIO.read(out.resolve("two_1.png").toFile());
        for (int i = 0; i < 32 * 32; i++) {
            int a = aligned.getRGB(i % 32, i / 32);
            int g = got.getRGB(i % 32, i / 32);
            for (int shift = 0; shift < 24; shift += 8) {
                assertTrue(Math.abs((255 - ((a >> shift) & 0xff)) - ((g >> shift) & 0xff)) <= 1, "pixel " + i);
            }
        }
        assertTrue(Files.exists(dir.resolve("grid.png")));
        assertFalse(Files.exists(out.resolve("none_0.png")));

        UserError e = assertThrows(UserError.class, () -> FaceTranslateJob.run(negate, in, source,
                new FaceTranslateJob.Options(dir.resolve("x"), 30, null), i -> { }));
        assertEquals("--face-size: 30 is not a positive multiple of 4 (the network's downsampling needs it)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
        assertArrayEquals(new int[] {3}, progress);
    }
}
