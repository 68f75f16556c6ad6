package io.ukiyoe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Task;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Images;
import io.ukiyoe.eval.fid.InceptionMetrics;
import io.ukiyoe.graphs.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Spark engine in {@code local[2]}: the same results as the in-process engine, failures retried. */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SparkClusterTest {
    @TempDir
    static Path dir;
    static SparkCluster spark;

    @BeforeAll
    static void start() {
        spark = SparkCluster.connect("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    @Test
    void mapKeepsItemOrderAndRunsOnSparkThreads() {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            items.add(i);
        }
        AtomicInteger lastProgress = new AtomicInteger();
        List<String> out = spark.map(items, i -> i * i + "@" + Thread.currentThread().getName(), lastProgress::set);
        assertEquals(9, out.size());
        for (int i = 0; i < 9; i++) {
            assertEquals(i * i, Integer.parseInt(out.get(i).split("@")[0]));
            assertTrue(out.get(i).contains("Executor task launch worker"), out.get(i));
        }
        assertEquals(9, lastProgress.get());
        assertEquals(2, spark.parallelism());
    }

    @Test
    void aFailedTaskIsRetriedAndTheResultIsTheSame() throws Exception {
        Path marker = dir.resolve("failed-once");
        String m = marker.toString();
        Task<Integer, Integer> flaky = i -> {
            if (i == 3 && !Files.exists(Path.of(m))) {     // the first attempt of item 3 dies
                try {
                    Files.createFile(Path.of(m));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("injected failure of an executor task");
            }
            return i + 100;
        };
        assertEquals(List.of(100, 101, 102, 103, 104), spark.map(List.of(0, 1, 2, 3, 4), flaky));
        assertTrue(Files.exists(marker), "the failure was injected");
    }

    @Test
    void aTasksOwnErrorReachesTheUserAsOneLine() {
        Task<Integer, Integer> bad = i -> {
            throw new UserError("models/x.safetensors: no such file");
        };
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () -> spark.map(List.of(1), bad));
        assertEquals("models/x.safetensors: no such file", e.getMessage());
    }

    @Test
    void fidOnSparkEqualsThePlainFid() throws Exception {
        // set A: 4 PNGs of the fixture's images; set B: the tiny model's seeds 0..3; windows of 2 images
        Tensor u8 = Npy.read(Fixtures.file("fid/fid_setA_images_u8.npy"));
        Path images = Files.createDirectories(dir.resolve("setA"));
        int h = (int) u8.shape()[1];
        int w = (int) u8.shape()[2];
        for (int n = 0; n < 4; n++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int o = ((n * h + y) * w + x) * 3;
                    int r = Math.round(u8.data()[o]);
                    int g = Math.round(u8.data()[o + 1]);
                    int b = Math.round(u8.data()[o + 2]);
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            Images.writePng(images.resolve(String.format("%03d.png", n)), img);
        }
        Path model = Fixtures.file("rosinality_tiny.pt");
        InceptionMetrics.Options o = new InceptionMetrics.Options(Fixtures.file("fid/pt_inception-random-seeded.pth"), 4, 2,
                1.0, null);
        double plain = new InceptionMetrics(o, (label, total) -> done -> { }).fid(images, model, null);
        double onSpark = new InceptionMetrics(o, (label, total) -> done -> { }, spark).fid(images, model, null);
        assertTrue(plain > 0 && Double.isFinite(plain), "FID " + plain);
        assertEquals(plain, onSpark, 1e-6 * plain, "FID on Spark");
        assertNotEquals(Cluster.local().describe(), spark.describe());
    }

    @Test
    void swdOnSparkEqualsThePlainSwd() throws Exception {
        // the tiny model's seeds 0..23 against 12 random PNGs: windows of 8 images on 2 workers vs one pass here
        Path images = Files.createDirectories(dir.resolve("swd-images"));
        java.util.Random r = new java.util.Random(6);
        for (int n = 0; n < 12; n++) {
            BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 36; y++) {
                for (int x = 0; x < 40; x++) {
                    img.setRGB(x, y, (x * 6 << 16) | (y * 7 << 8) | r.nextInt(256));
                }
            }
            Images.writePng(images.resolve(String.format("%03d.png", n)), img);
        }
        Path model = Fixtures.file("rosinality_tiny.pt");
        io.ukiyoe.eval.Swd.Result plain = io.ukiyoe.eval.Swd.compute(
                io.ukiyoe.eval.SwdSets.descriptors(images, 24, 32, 3, Cluster.local(), k -> { }),
                io.ukiyoe.eval.SwdSets.descriptors(model, 24, 32, 3, Cluster.local(), k -> { }), 3);
        io.ukiyoe.eval.Swd.Result onSpark = io.ukiyoe.eval.Swd.compute(
                io.ukiyoe.eval.SwdSets.descriptors(images, 24, 32, 3, spark, k -> { }),
                io.ukiyoe.eval.SwdSets.descriptors(model, 24, 32, 3, spark, k -> { }), 3);
        assertTrue(plain.average() > 0, "SWD " + plain.average());
        assertEquals(plain.average(), onSpark.average(), 0.0, "SWD on Spark");
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.perLevel(), onSpark.perLevel(), 0.0);
    }
}
