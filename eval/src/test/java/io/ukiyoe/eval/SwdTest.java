package io.ukiyoe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SwdTest {
    static float[] noiseImage(Random r, float offset, int n) {
        float[] img = new float[3 * n * n];
        for (int i = 0; i < img.length; i++) {
            // smooth-ish texture: sum of a few sinusoids plus noise
            int x = (i % (n * n)) % n;
            int y = (i % (n * n)) / n;
            img[i] = (float) (128 + 40 * Math.sin(x * 0.7 + r.nextDouble()) + 30 * Math.cos(y * 0.5) + 20 * r.nextGaussian())
                    + offset;
        }
        return img;
    }

    static Swd.Descriptors set(long seed, float offset, int count) {
        Random r = new Random(seed);
        Swd.Descriptors d = new Swd.Descriptors(32, seed);
        for (int i = 0; i < count; i++) {
            d.add(noiseImage(r, offset, 32));
        }
        return d;
    }

    @Test
    void aSetAgainstItselfIsZeroAndTheDistanceIsSymmetric() {
        Swd.Descriptors a = set(1, 0, 40);
        Swd.Result self = Swd.compute(a, a, 7);
        assertEquals(0, self.average(), 1e-9);
        Swd.Descriptors b = set(2, 0, 40);
        Swd.Descriptors c = set(3, 25, 40);
        double ab = Swd.compute(a, c, 7).average();
        double ba = Swd.compute(c, a, 7).average();
        assertEquals(ab, ba, 1e-6 * ab);
        assertEquals(List.of(32, 16), Swd.compute(a, b, 7).resolutions());
    }

    @Test
    void distanceGrowsWithAKnownChange() {
        // per-channel normalisation removes offsets and gains, so change the texture: more white noise
        Swd.Descriptors a = set(1, 0, 40);
        double prev = Swd.compute(a, set(2, 0, 40), 3).average();
        for (double sigma : new double[] {40, 120}) {
            Random r = new Random(4);
            Swd.Descriptors d = new Swd.Descriptors(32, 4);
            for (int i = 0; i < 40; i++) {
                float[] img = noiseImage(r, 0, 32);
                for (int k = 0; k < img.length; k++) {
                    img[k] += (float) (sigma * r.nextGaussian());
                }
                d.add(img);
            }
            double dist = Swd.compute(a, d, 3).average();
            assertTrue(dist > prev * 1.2, "noise " + sigma + ": " + dist + " should clearly exceed " + prev);
            prev = dist;
        }
    }

    @Test
    void pyramidLevelsRebuildTheImage() {
        // a Laplacian band plus the upsampled coarser level gives the level back exactly
        int n = 16;
        float[] img = new float[n * n];
        Random r = new Random(5);
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) r.nextDouble() * 255;
        }
        float[] down = Swd.pyrDown(img, n);
        float[] up = Swd.pyrUp(down, n / 2);
        assertEquals(n * n, up.length);
        // a constant image is unchanged by down/up sampling (the binomial filter sums to 1)
        float[] flat = new float[n * n];
        java.util.Arrays.fill(flat, 77);
        for (float v : Swd.pyrUp(Swd.pyrDown(flat, n), n / 2)) {
            assertEquals(77, v, 1e-3);
        }
        // sliced distance of two single-dimension sets is the mean gap of the sorted values
        float[][] a = {{0}, {1}, {2}};
        float[][] b = {{1}, {2}, {3}};
        assertEquals(1.0, Swd.sliced(a, b, new Random(1)), 1e-6);
    }
}
