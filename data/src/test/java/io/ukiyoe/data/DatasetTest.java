package io.ukiyoe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.data.synth.SynthSet;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class DatasetTest {
    @TempDir
    Path dir;

    /** 6 synthetic faces at 48 px, plus a grey JPEG, an RGBA PNG, a wide image in a subfolder and a corrupt file. */
    private Path folder() throws Exception {
        Path d = dir.resolve("imgs");
        SynthSet.write(SynthFace.Domain.PHOTO, 6, 48, 3, d, i -> { });
        BufferedImage grey = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(5, 5, 0, 200);
        ImageIO.write(grey, "jpg", d.resolve("grey.jpg").toFile());
        BufferedImage rgba = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x80ff0000);
        ImageIO.write(rgba, "png", d.resolve("alpha.png").toFile());
        Files.createDirectories(d.resolve("sub"));
        BufferedImage wide = new BufferedImage(90, 30, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 90; x++) {
            for (int y = 0; y < 30; y++) {
                wide.setRGB(x, y, x < 30 ? 0xff0000 : x < 60 ? 0x00ff00 : 0x0000ff);
            }
        }
        ImageIO.write(wide, "png", d.resolve("sub/wide.png").toFile());
        Files.write(d.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        return d;
    }

    @Test
    void readsFoldersRecursivelySkippingCorruptFiles() throws Exception {
        try (ImageDataset ds = ImageDataset.open(folder(), new ImageDataset.Options(32, Resample.Fit.CROP, true))) {
            assertEquals(10, ds.files());
            assertEquals(20, ds.size());
            int ok = 0;
            for (int i = 0; i < ds.size(); i++) {
                float[] img = ds.load(i);
                if (img != null) {
                    ok++;
                    assertEquals(3 * 32 * 32, img.length);
                    for (float v : img) {
                        assertTrue(v >= -1 && v <= 1);
                    }
                }
            }
            assertEquals(18, ok);
            assertEquals(1, ds.skipped(), "one warning and one count per corrupt file");
            // the wide image is centre-cropped: green in the middle
            int wide = ds.source().names().indexOf("sub/wide.png");
            float[] w = ds.load(wide);
            assertTrue(w[32 * 32 + 16 * 32 + 16] > 0.9, "green channel in the centre");
            // x-flip gives the mirror image
            float[] a = ds.load(0);
            float[] m = ds.load(ds.files());
            assertEquals(a[5 * 32 + 2], m[5 * 32 + 29], 0f);
        }
    }

    @Test
    void orderIsDeterministicPerSeedAndEpoch() throws Exception {
        try (ImageDataset ds = ImageDataset.open(folder(), new ImageDataset.Options(16, Resample.Fit.CROP, false))) {
            assertArrayEquals(ds.order(5, 0), ds.order(5, 0));
            assertFalse(java.util.Arrays.equals(ds.order(5, 0), ds.order(5, 1)));
            assertFalse(java.util.Arrays.equals(ds.order(5, 0), ds.order(6, 0)));
        }
    }

    @Test
    void batchLoaderResumesTheSameStream() throws Exception {
        Path d = folder();
        try (ImageDataset ds = ImageDataset.open(d, new ImageDataset.Options(16, Resample.Fit.CROP, false))) {
            List<INDArray> all = new ArrayList<>();
            BatchLoader.Position mid;
            try (BatchLoader l = new BatchLoader(ds, 4, 9, new BatchLoader.Position(0, 0), 2)) {
                for (int i = 0; i < 3; i++) {
                    all.add(l.next());
                }
                mid = l.position();
                for (int i = 0; i < 3; i++) {
                    all.add(l.next());
                }
            }
            assertEquals(4, all.get(0).size(0));
            try (BatchLoader again = new BatchLoader(ds, 4, 9, mid, 2)) {
                for (int i = 3; i < 6; i++) {
                    assertEquals(all.get(i), again.next(), "batch " + i + " after resume");
                }
            }
        }
    }

    @Test
    void emptyFoldersAndAllCorruptSetsAreErrors() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        UserError e = assertThrows(UserError.class,
                () -> ImageDataset.open(empty, new ImageDataset.Options(16, Resample.Fit.CROP, false)));
        assertTrue(e.getMessage().startsWith(empty + ": no images"), e.getMessage());
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.write(bad.resolve("x.png"), new byte[] {1, 2, 3});
        try (ImageDataset ds = ImageDataset.open(bad, new ImageDataset.Options(16, Resample.Fit.CROP, false));
             BatchLoader l = new BatchLoader(ds, 2, 1, new BatchLoader.Position(0, 0), 1)) {
            UserError none = assertThrows(UserError.class, l::next);
            assertTrue(none.getMessage().contains("none of the 1 files is a readable image"), none.getMessage());
        }
    }

    @Test
    void preparedZipsHoldResizedImagesAndAManifest() throws Exception {
        Path d = folder();
        Path zip = dir.resolve("set.zip");
        Prepare.Summary s = Prepare.run(d, 24, Resample.Fit.CROP, zip, i -> { });
        assertEquals(9, s.images());
        assertEquals(1, s.skipped());
        try (ImageDataset ds = ImageDataset.open(zip, new ImageDataset.Options(24, Resample.Fit.CROP, false));
             ImageDataset direct = ImageDataset.open(d, new ImageDataset.Options(24, Resample.Fit.CROP, false))) {
            assertEquals(9, ds.files());
            String manifest = ds.source().text(Prepare.MANIFEST);
            assertTrue(manifest.contains("\"count\":9") && manifest.contains("\"resolution\":24"), manifest);
            assertTrue(manifest.contains("\"source\":\"alpha.png\""), manifest);
            // the prepared image equals reading the source directly, to 8-bit rounding
            float[] p = ds.load(0);
            float[] q = direct.load(0);
            for (int i = 0; i < p.length; i++) {
                assertEquals(q[i], p[i], 1.01f / 127.5f);
            }
        }
    }

    @Test
    void dataVecReaderAndIteratorCoverOneEpoch() throws Exception {
        try (ImageDataset ds = ImageDataset.open(folder(), new ImageDataset.Options(16, Resample.Fit.CROP, false))) {
            ImageRecordReader r = new ImageRecordReader(ds, 3, 0);
            int n = 0;
            while (r.hasNext()) {
                assertNotNull(r.next().get(0));
                n++;
            }
            assertEquals(9, n);
            ImageDataSetIterator it = new ImageDataSetIterator(ds, 4, 3, 0);
            List<Long> sizes = new ArrayList<>();
            while (it.hasNext()) {
                sizes.add(it.next().getFeatures().size(0));
            }
            assertEquals(List.of(4L, 4L, 1L), sizes);
            it.reset();
            assertTrue(it.hasNext());
            assertNull(it.getLabels());
        }
    }

    @Test
    void exifOrientationTurnsImagesUpright() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff0000); // top-left marker
        assertEquals(0xff0000, Decoder.orient(img, 1).getRGB(0, 0) & 0xffffff);
        assertEquals(0xff0000, Decoder.orient(img, 2).getRGB(2, 0) & 0xffffff);
        assertEquals(0xff0000, Decoder.orient(img, 3).getRGB(2, 1) & 0xffffff);
        assertEquals(0xff0000, Decoder.orient(img, 4).getRGB(0, 1) & 0xffffff);
        BufferedImage r6 = Decoder.orient(img, 6); // 90 clockwise: top-left goes to top-right
        assertEquals(2, r6.getWidth());
        assertEquals(0xff0000, r6.getRGB(1, 0) & 0xffffff);
        assertEquals(0xff0000, Decoder.orient(img, 8).getRGB(0, 2) & 0xffffff);
        assertEquals(0xff0000, Decoder.orient(img, 5).getRGB(0, 0) & 0xffffff);
        assertEquals(0xff0000, Decoder.orient(img, 7).getRGB(1, 2) & 0xffffff);
        // a JPEG header with an EXIF orientation of 6
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
                'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xFF, (byte) 0xDA};
        assertEquals(6, Decoder.exifOrientation(jpeg));
        assertEquals(1, Decoder.exifOrientation(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    }

    @Test
    void lanczosDownscalingAveragesInsteadOfPickingPixels() {
        int n = 64;
        float[] checker = new float[n * n];
        for (int i = 0; i < checker.length; i++) {
            checker[i] = ((i % n) + (i / n)) % 2 == 0 ? 255 : 0;
        }
        float[] small = Resample.resize(checker, n, n, 8, 8);
        for (float v : small) {
            assertEquals(127.5, v, 2.0); // nearest-neighbour would give 0 or 255
        }
        float[] flat = new float[n * n];
        java.util.Arrays.fill(flat, 100);
        for (float v : Resample.resize(flat, n, n, 24, 24)) {
            assertEquals(100, v, 1e-3);
        }
    }
}
