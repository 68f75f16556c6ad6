package io.ukiyoe.data.upscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.image.Upscaler;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tiling against the untiled result with a stand-in network that, like a conv net, sees a neighbourhood with zero
 * padding: {@code passes} box blurs of radius 1 (receptive radius = passes), a per-channel gain, then nearest 4x.
 */
class TiledUpscalerTest {
    @TempDir
    Path dir;

    /** A conv-like upscaler with a known receptive radius; the gains make channels distinguishable. */
    record BlurNet(int passes, float[] gain) implements Upscaler {
        @Override
        public int scale() {
            return 4;
        }

        @Override
        public INDArray upscale(INDArray x) {
            long[] s = x.shape();
            int n = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3];
            float[] v = NdArrays.floats(x);
            for (int p = 0; p < passes; p++) {
                float[] o = new float[v.length];
                for (int i = 0; i < n * c; i++) {
                    for (int y = 0; y < h; y++) {
                        for (int xx = 0; xx < w; xx++) {
                            float sum = 0;
                            for (int dy = -1; dy <= 1; dy++) {
                                for (int dx = -1; dx <= 1; dx++) {
                                    int yy = y + dy, x2 = xx + dx;
                                    if (yy >= 0 && yy < h && x2 >= 0 && x2 < w) {
                                        sum += v[(i * h + yy) * w + x2];
                                    }
                                }
                            }
                            o[(i * h + y) * w + xx] = sum / 9;
                        }
                    }
                }
                v = o;
            }
            float[] up = new float[v.length * 16];
            for (int i = 0; i < n * c; i++) {
                for (int y = 0; y < 4 * h; y++) {
                    for (int xx = 0; xx < 4 * w; xx++) {
                        up[(i * 4 * h + y) * 4 * w + xx] = gain[i % c] * v[(i * h + y / 4) * w + xx / 4];
                    }
                }
            }
            long[] os = {n, c, 4L * h, 4L * w};
            return Nd4j.create(up, os, DataType.FLOAT).reshape('c', os);
        }
    }

    private static INDArray random(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return Nd4j.create(v, shape, DataType.FLOAT).reshape('c', shape);
    }

    /** Input-pixel distance from {@code p} to the nearest cut edge (a tile edge inside the image), or MAX_VALUE. */
    private static int distanceToCut(int p, List<TiledUpscaler.Span> spans) {
        int d = Integer.MAX_VALUE;
        for (int i = 0; i < spans.size(); i++) {
            if (i > 0) {
                d = Math.min(d, Math.abs(p - spans.get(i).start()));
            }
            if (i + 1 < spans.size()) {
                d = Math.min(d, Math.abs(spans.get(i).end() - 1 - p));
            }
        }
        return d;
    }

    @Test
    void spansCoverTheAxisWithAtLeastTheOverlapAndRampsSumToOne() {
        for (int length : new int[] {5, 16, 17, 50, 129}) {
            List<TiledUpscaler.Span> spans = TiledUpscaler.spans(length, 16, 6);
            assertEquals(0, spans.get(0).start());
            assertEquals(length, spans.get(spans.size() - 1).end());
            for (int i = 1; i < spans.size(); i++) {
                assertTrue(spans.get(i - 1).end() - spans.get(i).start() >= 6, "overlap at " + length);
            }
            float[] sum = new float[length * 4];
            for (int i = 0; i < spans.size(); i++) {
                float[] w = TiledUpscaler.ramp(spans, i, 4);
                for (int u = 0; u < w.length; u++) {
                    assertTrue(w[u] > 0, "weights positive");
                    sum[spans.get(i).start() * 4 + u] += w[u];
                }
            }
            for (float s : sum) {
                assertEquals(1f, s, 1e-5f, "weights of neighbours sum to one at length " + length);
            }
        }
    }

    @Test
    void tiledEqualsUntiledAwayFromTileBordersAndCloselyAtThem() {
        int passes = 4;   // a receptive radius beyond the quarter of the overlaps the blend discards
        BlurNet net = new BlurNet(passes, new float[] {1f, 0.5f, 2f});
        int h = 60, w = 90, tile = 28, overlap = 8;
        INDArray x = random(5, 2, 3, h, w);
        INDArray whole = net.upscale(x);
        INDArray tiled = new TiledUpscaler(net, tile, overlap).upscale(x);
        assertArrayEquals(whole.shape(), tiled.shape());
        var rows = TiledUpscaler.spans(h, tile, overlap);
        var cols = TiledUpscaler.spans(w, tile, overlap);
        assertTrue(rows.size() > 1 && cols.size() > 2, "several tiles each way");
        float[] a = NdArrays.floats(whole);
        float[] b = NdArrays.floats(tiled);
        float[] hard = NdArrays.floats(new TiledUpscaler(net, tile, 0).upscale(x));
        double far = 0, near = 0, nearHard = 0;
        int farCount = 0;
        for (int i = 0; i < a.length; i++) {
            int ox = i % (4 * w), oy = (i / (4 * w)) % (4 * h);
            int d = Math.min(distanceToCut(oy / 4, rows), distanceToCut(ox / 4, cols));
            double diff = Math.abs(a[i] - b[i]);
            if (d > passes) {
                far = Math.max(far, diff);
                farCount++;
            } else {
                near = Math.max(near, diff);
            }
        }
        for (int i = 0; i < a.length; i++) {
            nearHard = Math.max(nearHard, Math.abs(a[i] - hard[i]));
        }
        assertTrue(farCount > a.length / 10, "many pixels are away from the cuts: " + farCount);
        assertTrue(far <= 1e-6, "away from tile borders the tiled result is the untiled one: " + far);
        assertTrue(near < 0.01, "blended seams stay close to the untiled result: " + near);
        assertTrue(nearHard > 3 * near, "blending beats butting tiles together: " + near + " vs " + nearHard);
    }

    @Test
    void wholeImagesFitInOneTileAndBadTilingIsRefused() {
        BlurNet net = new BlurNet(1, new float[] {1, 1, 1});
        INDArray x = random(3, 1, 3, 9, 12);
        assertArrayEquals(NdArrays.floats(net.upscale(x)), NdArrays.floats(new TiledUpscaler(net, 16, 4).upscale(x)));
        assertThrows(IllegalArgumentException.class, () -> new TiledUpscaler(net, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> new TiledUpscaler(net, 8, -1));
    }

    @Test
    void imagesKeepTheirChannelOrderAndAreClampedToEightBits() throws Exception {
        // gains 1, 0.5, 6: red unchanged, green halved, blue over range (clamped)
        BlurNet net = new BlurNet(0, new float[] {1f, 0.5f, 6f});
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xC86432);                     // r 200, g 100, b 50
        Files.createDirectories(dir.resolve("in/sub"));
        ImageIO.write(img, "png", dir.resolve("in/sub/a.png").toFile());
        Files.writeString(dir.resolve("in/broken.jpg"), "not a jpeg");
        UpscaleJob.Summary s = UpscaleJob.images(dir.resolve("in"), dir.resolve("out"), net, i -> { });
        assertEquals(2, s.images());
        assertEquals(List.of("broken.jpg"), s.skipped());
        BufferedImage out = ImageIO.read(dir.resolve("out/sub_a.png").toFile());
        assertEquals(12, out.getWidth());
        assertEquals(8, out.getHeight());
        assertEquals(0xC832FF, out.getRGB(5, 6) & 0xffffff);   // 200, round(100 * 0.5), min(300, 255)
        assertEquals(0, out.getRGB(0, 0) & 0xffffff);
    }

    @Test
    void npyBatchesGiveTheRawOutputAndBadArraysOneLineErrors() throws Exception {
        BlurNet net = new BlurNet(1, new float[] {1f, -2f, 5f});
        INDArray x = random(9, 2, 3, 5, 7);
        Path in = dir.resolve("x.npy");
        Npy.write(in, NdArrays.tensor(x));
        UpscaleJob.npy(UpscaleJob.readBatch(in), dir.resolve("out"), new TiledUpscaler(net, 0, 0), i -> { });
        Tensor y = Npy.read(dir.resolve("out").resolve(UpscaleJob.NPY_OUT));
        assertArrayEquals(new long[] {2, 3, 20, 28}, y.shape());
        assertArrayEquals(NdArrays.floats(net.upscale(x)), y.data(), 1e-6f);
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, Tensor.zeros(2, 4, 5, 5));
        UserError e = assertThrows(UserError.class, () -> UpscaleJob.readBatch(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("[2, 4, 5, 5]"), e.getMessage());
    }
}
