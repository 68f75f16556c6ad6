package io.ukiyoe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.data.synth.SynthSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedSameImagesAndLabels() throws Exception {
        SynthSet.write(SynthFace.Domain.UKIYOE, 5, 64, 42, dir.resolve("a"), i -> { });
        SynthSet.write(SynthFace.Domain.UKIYOE, 5, 64, 42, dir.resolve("b"), i -> { });
        SynthSet.write(SynthFace.Domain.UKIYOE, 5, 64, 43, dir.resolve("c"), i -> { });
        for (int i = 0; i < 5; i++) {
            String f = SynthSet.fileName(i);
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)));
            assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("c").resolve(f))));
        }
        List<String> labels = Files.readAllLines(dir.resolve("a").resolve(SynthSet.LABELS));
        assertEquals(6, labels.size());
        assertTrue(labels.get(0).startsWith("file,domain,yaw,"), labels.get(0));
        assertEquals(labels, Files.readAllLines(dir.resolve("b").resolve(SynthSet.LABELS)));
    }

    @Test
    void domainsDifferInYawAndLook() {
        double photoYaw = 0;
        double ukiyoeYaw = 0;
        double photoSat = 0;
        double ukiyoeSat = 0;
        int n = 200;
        for (int i = 0; i < n; i++) {
            SynthFace.Rendered p = SynthFace.render(SynthFace.Domain.PHOTO, 32, SynthFace.imageSeed(1, i));
            SynthFace.Rendered u = SynthFace.render(SynthFace.Domain.UKIYOE, 32, SynthFace.imageSeed(1, i));
            photoYaw += p.face().yaw() / n;
            ukiyoeYaw += u.face().yaw() / n;
            photoSat += saturation(p.face().skinRgb()) / n;
            ukiyoeSat += saturation(u.face().skinRgb()) / n;
            assertTrue(p.face().eyeLeftX() < p.face().eyeRightX(), "image-left eye first");
        }
        assertEquals(0, photoYaw, 3, "photo faces look around frontal");
        assertTrue(ukiyoeYaw > 15, "ukiyo-e faces are biased to one side: " + ukiyoeYaw);
        assertTrue(photoSat > ukiyoeSat + 0.1, "prints have a muted palette");
    }

    private static double saturation(int rgb) {
        float[] hsb = java.awt.Color.RGBtoHSB((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, null);
        return hsb[1];
    }

    @Test
    void labelsLocateTheEyesForAlignment() {
        // the labelled eye centres are darker than the skin around them in a photo face
        SynthFace.Rendered r = SynthFace.render(SynthFace.Domain.PHOTO, 128, 7);
        int eye = r.image().getRGB((int) Math.round(r.face().eyeLeftX()), (int) Math.round(r.face().eyeLeftY()));
        int cheek = r.image().getRGB((int) Math.round(r.face().eyeLeftX()), (int) Math.round(r.face().eyeLeftY() + 12));
        assertTrue(lum(eye) + 40 < lum(cheek), "eye " + lum(eye) + " vs cheek " + lum(cheek));
    }

    private static int lum(int rgb) {
        return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
    }
}
