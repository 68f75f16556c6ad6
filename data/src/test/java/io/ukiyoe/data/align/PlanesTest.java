package io.ukiyoe.data.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The alignment recipe's image toolkit: round trip, crop, median, blur. */
class PlanesTest {
    @Test
    void roundTripAndCropKeepPixels() {
        BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                img.setRGB(x, y, (x * 40) << 16 | (y * 60) << 8 | 7);
            }
        }
        Planes p = Planes.of(img);
        BufferedImage back = p.toImage();
        assertEquals(img.getRGB(5, 3) & 0xFFFFFF, back.getRGB(5, 3) & 0xFFFFFF);
        Planes c = p.crop(2, 1, 5, 4);
        assertEquals(3, c.w);
        assertEquals(3, c.h);
        assertEquals(img.getRGB(2, 1) & 0xFFFFFF, c.toImage().getRGB(0, 0) & 0xFFFFFF);
    }

    @Test
    void medianAndBlurOfSimplePlanes() {
        assertEquals(3, Planes.median(new float[] {9, 3, 1, 3, 200}));
        float[] flat = new float[8 * 8];
        java.util.Arrays.fill(flat, 50);
        for (float v : Planes.gaussian(flat, 8, 8, 1.5)) {
            assertEquals(50, v, 1e-3);
        }
    }
}
