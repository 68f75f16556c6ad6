package io.ukiyoe.graphs.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The torch bilinear resize against its definition in double (the fixture test checks the float32 bits). */
class BilinearResizeTest {
    @Test
    void nonSquareUpAndDownsizingFollowsTorchsFormula() {
        int planes = 2, h = 37, w = 53, outH = 19, outW = 80;
        float[] x = new float[planes * h * w];
        Random rng = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        float[] y = BilinearResize.resize(x, planes, h, w, outH, outW);
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < outH; r++) {
                double sr = Math.max((r + 0.5) * h / outH - 0.5, 0);
                int r0 = (int) sr, r1 = Math.min(r0 + 1, h - 1);
                for (int c = 0; c < outW; c++) {
                    double sc = Math.max((c + 0.5) * w / outW - 0.5, 0);
                    int c0 = (int) sc, c1 = Math.min(c0 + 1, w - 1);
                    double top = x[p * h * w + r0 * w + c0] * (1 - (sc - c0)) + x[p * h * w + r0 * w + c1] * (sc - c0);
                    double bottom = x[p * h * w + r1 * w + c0] * (1 - (sc - c0)) + x[p * h * w + r1 * w + c1] * (sc - c0);
                    assertEquals(top * (1 - (sr - r0)) + bottom * (sr - r0), y[p * outH * outW + r * outW + c], 2e-6);
                }
            }
        }
    }

    @Test
    void sameSizeIsTheIdentity() {
        float[] x = {0.1f, 0.7f, 0.3f, 0.9f, 0.25f, 0.5f};
        assertArrayEquals(x, BilinearResize.resize(x, 1, 2, 3, 2, 3));
    }
}
