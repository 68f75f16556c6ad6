package io.ukiyoe.data;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Mutated PNG and JPEG bytes decode to an image or to "not an image" (null), never to an exception. */
class DecoderFuzzTest {
    private static byte[] encode(String format) throws IOException {
        BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(5);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                img.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | r.nextInt(64));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private static void fuzz(byte[] orig, int rounds, long seed) {
        assertNotNull(Decoder.decode(orig));
        Random r = new Random(seed);
        for (int i = 0; i < rounds; i++) {
            byte[] b = orig.clone();
            int mode = r.nextInt(3);
            if (mode == 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            } else {
                int span = mode == 1 ? b.length : Math.min(64, b.length);     // anywhere, or in the headers
                for (int k = r.nextInt(6) + 1; k > 0; k--) {
                    b[r.nextInt(span)] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
                }
            }
            try {
                Decoder.decode(b);
            } catch (RuntimeException | OutOfMemoryError e) {
                throw new AssertionError("round " + i + ": " + e, e);
            }
        }
    }

    @Test
    void mutatedImagesNeverThrow() throws IOException {
        fuzz(encode("png"), 600, 21);
        fuzz(encode("jpg"), 600, 22);
    }
}
