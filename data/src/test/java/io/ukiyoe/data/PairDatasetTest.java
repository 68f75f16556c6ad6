package io.ukiyoe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** pix2pixHD's aligned layout read as [6, R, R] pairs, the last ones held out; layout errors in one line. */
class PairDatasetTest {
    @TempDir
    Path dir;

    /** Pair i: A all grey level 10 i, B all 10 i + 100. */
    private Path pairs(int n) throws Exception {
        for (String side : List.of("train_A", "train_B")) {
            Files.createDirectories(dir.resolve(side));
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                int v = 10 * i + (side.equals("train_B") ? 100 : 0);
                for (int p = 0; p < 64; p++) {
                    img.setRGB(p % 8, p / 8, (v << 16) | (v << 8) | v);
                }
                Images.writePng(dir.resolve(side).resolve("img" + i + ".png"), img);
            }
        }
        return dir;
    }

    private static float grey(int v) {
        return v / 127.5f - 1;
    }

    @Test
    void pairsStackAOnBAndTheLastAreHeldOut() throws Exception {
        try (PairDataset ds = PairDataset.open(pairs(5), 0, 2)) {
            assertEquals(8, ds.resolution());
            assertEquals(3, ds.size());
            assertEquals(List.of("img3.png", "img4.png"), ds.heldOutNames());
            assertArrayEquals(new long[] {6, 8, 8}, ds.sampleShape());
            float[] p = ds.load(1);
            assertEquals(grey(10), p[0], 1e-6);
            assertEquals(grey(110), p[3 * 64], 1e-6);
            assertEquals(grey(40), ds.heldOut(1)[0], 1e-6);
            try (BatchLoader l = new BatchLoader(ds, 3, 1, new BatchLoader.Position(0, 0), 2)) {
                INDArray b = l.next();
                assertArrayEquals(new long[] {3, 6, 8, 8}, b.shape());
                // an epoch visits the three training pairs only, each with its own target
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    double a = b.getDouble(i, 0, 0, 0);
                    assertEquals(a + 100 / 127.5, b.getDouble(i, 3, 0, 0), 1e-5);
                    sum += a;
                }
                assertEquals(grey(0) + grey(10) + grey(20), sum, 1e-5);
            }
        }
    }

    @Test
    void layoutProblemsAreOneLineErrorsNamingTheFolderOrFile() throws Exception {
        Path d = pairs(3);
        assertTrue(assertThrows(UserError.class, () -> PairDataset.open(d, 0, 3)).getMessage()
                .contains("3 pairs, but 3 are held out"));
        Files.delete(d.resolve("train_B").resolve("img1.png"));
        assertEquals(d + ": train_A/img1.png has no train_B/img1.png",
                assertThrows(UserError.class, () -> PairDataset.open(d, 0, 1)).getMessage());
        Files.walk(d.resolve("train_B")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertTrue(assertThrows(UserError.class, () -> PairDataset.open(d, 0, 1)).getMessage()
                .startsWith(d + ": no train_B/ folder"));
    }
}
