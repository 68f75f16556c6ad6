package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Images;
import io.ukiyoe.eval.fid.FeatureAccumulator;
import io.ukiyoe.eval.fid.Fid;
import io.ukiyoe.eval.fid.Kid;
import io.ukiyoe.graphs.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** eval fid / kid / features on PNG folders made from the fid fixture's uint8 images, against its pool3 features. */
class InceptionEvalCommandsTest {
    private static final int N = 6;
    private static final String WEIGHTS = Fixtures.file("fid/pt_inception-random-seeded.pth").toString();

    @TempDir
    Path dir;

    /** The first n fixture images of a set as PNG files (what pytorch-fid read when it made the features). */
    private Path pngs(String set, int n) throws Exception {
        Tensor u8 = Npy.read(Fixtures.file("fid/fid_set" + set + "_images_u8.npy"));   // [N, H, W, 3]
        int h = (int) u8.shape()[1];
        int w = (int) u8.shape()[2];
        Path folder = dir.resolve(set);
        Files.createDirectories(folder);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int o = ((i * h + y) * w + x) * 3;
                    img.setRGB(x, y, ((int) u8.data()[o] << 16) | ((int) u8.data()[o + 1] << 8) | (int) u8.data()[o + 2]);
                }
            }
            Images.writePng(folder.resolve(String.format("%03d.png", i)), img);
        }
        return folder;
    }

    private static INDArray fixtureFeatures(String set, int n) {
        return Fixtures.npy("fid/fid_set" + set + "_pool3.npy").get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }

    private static double lastValue(CliRun r, String prefix) {
        List<String> lines = r.out().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith(prefix), r.out());
        return Double.parseDouble(last.substring(prefix.length()).strip());
    }

    @Test
    void fidWithStatsCacheAndSavedStatsThenKid() throws Exception {
        Path a = pngs("A", N);
        Path b = pngs("B", N);
        Path cache = dir.resolve("cache");
        FeatureAccumulator fa = new FeatureAccumulator(2048);
        fa.add(fixtureFeatures("A", N));
        FeatureAccumulator fb = new FeatureAccumulator(2048);
        fb.add(fixtureFeatures("B", N));
        double expected = Fid.distance(fa.stats(), fb.stats());

        Path stats = dir.resolve("a_stats.npz");
        CliRun r = CliRun.of("eval", "fid", "--a", a.toString(), "--b", b.toString(), "--inception", WEIGHTS,
                "--batch", "4", "--cache", cache.toString(), "--save-stats", stats.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(expected, lastValue(r, "FID:"), 1e-3 * expected + 1e-3);
        assertEquals(2, Files.list(cache).count(), "both datasets' statistics cached");

        // A from the pytorch-fid statistics file the first run saved, B from the cache: nothing recomputed
        CliRun again = CliRun.of("eval", "fid", "--a", stats.toString(), "--b", b.toString(), "--inception", WEIGHTS,
                "--cache", cache.toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals(r.out(), again.out());
        assertTrue(!again.err().contains("[#"), "nothing recomputed: " + again.err());

        CliRun k = CliRun.of("eval", "kid", "--a", a.toString(), "--b", b.toString(), "--inception", WEIGHTS,
                "--subsets", "5", "--subset-size", "4", "--seed", "9");
        assertEquals(0, k.exit(), k.err());
        double kid = Kid.compute(fixtureFeatures("A", N), fixtureFeatures("B", N), 5, 4, 9) * 1e3;
        assertEquals(kid, lastValue(k, "KID x1e3:"), 1e-3 * Math.abs(kid) + 1e-3);
        assertTrue(k.err().contains(N + "/" + N), "progress bar: " + k.err());
    }

    @Test
    void featuresOfAnNpyBatch() throws Exception {
        Path out = dir.resolve("f.npy");
        CliRun r = CliRun.of("eval", "features", "--inception", WEIGHTS, "--input",
                Fixtures.file("fid/b64_input.npy").toString(), "--out", out.toString(), "--batch", "3");
        assertEquals(0, r.exit(), r.err());
        Fixtures.assertClose(Fixtures.npy("fid/b64_pool3.npy"), Fixtures.npy(out.toString()), "features");
    }

    @Test
    void badInputsAreOneLineErrors() throws Exception {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        Path one = pngs("A", 1);
        Path gray = dir.resolve("gray.npy");
        Npy.write(gray, Tensor.zeros(2, 1, 16, 16));
        Path notWeights = dir.resolve("x.pth");
        Files.writeString(notWeights, "not a checkpoint");
        for (String[] args : new String[][] {
            {"eval", "fid", "--a", dir.resolve("nowhere").toString(), "--b", one.toString(), "--inception", WEIGHTS},
            {"eval", "fid", "--a", empty.toString(), "--b", one.toString(), "--inception", WEIGHTS, "--no-cache"},
            {"eval", "fid", "--a", one.toString(), "--b", one.toString(), "--inception", WEIGHTS, "--no-cache"},
            {"eval", "fid", "--a", one.toString(), "--b", one.toString(), "--no-cache"},
            {"eval", "fid", "--a", one.toString(), "--b", one.toString(), "--inception", notWeights.toString(), "--no-cache"},
            {"eval", "kid", "--a", one.toString(), "--b", one.toString(), "--inception", WEIGHTS},
            {"eval", "features", "--inception", WEIGHTS, "--input", gray.toString(), "--out", dir.resolve("g.npy").toString()},
        }) {
            CliRun r = CliRun.of(args);
            assertTrue(r.exit() != 0, String.join(" ", args));
            String err = r.err().strip();
            assertEquals(1, err.lines().filter(l -> !l.contains("[#") && !l.contains("[.")).count(), err);
            assertTrue(!err.contains("Exception") && !err.contains("\tat "), err);
        }
        CliRun noWeights = CliRun.of("eval", "fid", "--a", one.toString(), "--b", one.toString(), "--no-cache");
        assertTrue(noWeights.err().contains("pt_inception-2015-12-05-6726825d.pth"), noWeights.err());
        CliRun grayRun = CliRun.of("eval", "features", "--inception", WEIGHTS, "--input", gray.toString(), "--out",
                dir.resolve("g.npy").toString());
        assertTrue(grayRun.err().toLowerCase(Locale.ROOT).contains("one channel"), grayRun.err());
        assertTrue(!Files.exists(dir.resolve("g.npy")));
        // the default build has no Spark engine: --spark says how to get one, before any work
        CliRun noSpark = CliRun.of("eval", "fid", "--a", one.toString(), "--b", one.toString(), "--inception", WEIGHTS,
                "--no-cache", "--spark", "local[2]");
        assertEquals(2, noSpark.exit(), noSpark.err());
        assertTrue(noSpark.err().contains("-Pspark") && noSpark.err().strip().lines().count() == 1, noSpark.err());
    }
}
