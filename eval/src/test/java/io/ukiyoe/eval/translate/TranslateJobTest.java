package io.ukiyoe.eval.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.translate.Translator;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The image pipeline around a translator: sizes, batches of one size, outputs, and what is refused. */
class TranslateJobTest {
    @TempDir
    Path dir;

    /** Negates its input, multiple 4, and records each batch's shape. */
    static final class Negate implements Translator {
        final List<long[]> batches = new ArrayList<>();

        @Override
        public INDArray translate(INDArray nchw) {
            batches.add(nchw.shape());
            return nchw.neg();
        }

        @Override
        public int sizeMultiple() {
            return 4;
        }

        @Override
        public int inputChannels() {
            return 3;
        }

        @Override
        public int outputChannels() {
            return 3;
        }

        @Override
        public String describe() {
            return "negate";
        }

        @Override
        public void export(Path file) {
            throw new UnsupportedOperationException();
        }
    }

    private void image(String name, int w, int h, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", dir.resolve("in").resolve(name).toFile());
    }

    @Test
    void sizesRoundToTheMultipleAndBatchesHoldOneSize() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        image("a.png", 30, 21, 0x000000);   // -> 32x20
        image("b.png", 33, 19, 0xffffff);   // -> 32x20
        image("c.png", 16, 40, 0x808080);   // -> 16x40
        Negate t = new Negate();
        Path out = dir.resolve("out");
        int n = TranslateJob.images(t, dir.resolve("in"), new TranslateJob.Options(out, false, 4, null), (d, total) -> { });
        assertEquals(3, n);
        assertEquals(2, t.batches.size());
        assertArrayEquals(new long[] {2, 3, 20, 32}, t.batches.get(0));
        assertArrayEquals(new long[] {1, 3, 40, 16}, t.batches.get(1));
        // black in, -(-1) = 1 out: white
        assertEquals(0xffffff, ImageIO.read(out.resolve("a.png").toFile()).getRGB(5, 5) & 0xffffff);
        assertEquals(0, ImageIO.read(out.resolve("b.png").toFile()).getRGB(5, 5) & 0xffffff);

        var e = assertThrows(UserError.class, () -> TranslateJob.images(t, dir.resolve("in"),
                new TranslateJob.Options(dir.resolve("out2"), true, 1, null), (d, total) -> { }));
        assertTrue(e.getMessage().contains("--size"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out2")));

        Path out3 = dir.resolve("out3");
        TranslateJob.images(t, dir.resolve("in"), new TranslateJob.Options(out3, true, 2, new int[] {8, 12}), (d, total) -> { });
        Tensor all = Npy.read(out3.resolve("images.npy"));
        assertArrayEquals(new long[] {3, 3, 12, 8}, all.shape());
        assertEquals(1f, all.data()[0], 1e-6);                 // image a: black -> -1 in, 1 out
    }
}
