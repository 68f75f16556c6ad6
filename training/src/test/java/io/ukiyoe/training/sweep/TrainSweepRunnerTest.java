package io.ukiyoe.training.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.training.SnapshotMetric;
import io.ukiyoe.training.TrainConfig;
import io.ukiyoe.training.TrainMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four tiny training candidates: run folders, results.csv as they finish, and a resume after an interruption. */
class TrainSweepRunnerTest {
    /**
     * A stand-in for eval's SWD (training does not depend on eval; the CLI's tests run the real one): the
     * mean squared pixel of a candidate's images, a figure that differs between candidates.
     */
    private static final TrainMetrics METRICS = new TrainMetrics() {
        @Override
        public SnapshotMetric<Generator> inception(TrainConfig c, List<String> which) {
            return TrainMetrics.NONE.inception(c, which);
        }

        @Override
        public SnapshotMetric<Generator> swd(Path data, int resolution, int images, long seed) {
            return g -> {
                double[] sum = new double[1];
                SeedImages.generate(g, SeedImages.range(images), 1.0, 8, img -> {
                    for (float v : img) {
                        sum[0] += v * v / (double) img.length / images;
                    }
                });
                return Map.of("swd_x1e3", sum[0]);
            };
        }
    };

    @TempDir
    Path dir;

    private TrainSweepConfig config() throws Exception {
        Path faces = dir.resolve("faces");
        Files.createDirectories(faces);
        Random r = new Random(4);
        for (int i = 0; i < 8; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            int base = r.nextInt(0xFFFFFF);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    img.setRGB(x, y, (base + 977 * x * y + r.nextInt(4096)) & 0xFFFFFF);
                }
            }
            ImageIO.write(img, "png", faces.resolve("f" + i + ".png").toFile());
        }
        Path train = dir.resolve("train.yaml");
        Files.writeString(train, "kind: train\nseed: 3\nmodel: {resolution: 16, z_dim: 16, w_dim: 16, n_mlp: 2, "
                + "channel_base: 256, channel_max: 16}\ndata: {path: " + faces + "}\n"
                + "training: {kimg: 0.008, batch: 4, pl_weight: 0}\n"
                + "snapshots: {every_kimg: 0.008, seeds: 0-3, tensorboard: false}\n");
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, "kind: sweep\ntarget: train\ntrain: " + train + "\nsearch: grid\ncandidates: 4\n"
                + "images: 16\nspace: {learning_rate: [0.002, 0.0005], r1_gamma: [1, 10]}\n");
        return ExperimentConfig.load(sweep, List.of(), new ConfigKinds().register("sweep", TrainSweepConfig.class),
                "sweep", TrainSweepConfig.class).value();
    }

    @Test
    void fourCandidatesThenAResumeThatKeepsTheFinishedOnes() throws Exception {
        TrainSweepConfig c = config();
        Path out = dir.resolve("sweep");
        Files.createDirectories(out);
        TrainSweepRunner.Result r = new TrainSweepRunner(c, out, METRICS, n -> { }).run();
        assertEquals(4, r.rows().size(), r.rows().toString());
        Set<String> settings = new HashSet<>();
        for (TrainSweepRunner.Row row : r.rows()) {
            assertEquals("ok", row.status(), row.toString());
            assertTrue(Double.isFinite(row.swd()) && row.swd() > 0, row.toString());
            settings.add(row.settings());
            Path run = out.resolve(String.format("candidate-%03d", row.index()));
            assertTrue(Files.exists(run.resolve("model.safetensors")), run.toString());
            double lr = ExperimentConfig.load(run.resolve("config.yaml"), List.of(), new ConfigKinds().register("train",
                    io.ukiyoe.training.TrainConfig.class), "train", io.ukiyoe.training.TrainConfig.class).value()
                    .training().learningRate();
            assertEquals(Double.parseDouble(row.settings().replaceAll(".*\"training.learning_rate\":\"([^\"]+)\".*",
                    "$1")), lr, 1e-12, "the candidate's own settings in its run folder: " + row.settings());
        }
        assertEquals(4, settings.size(), "the grid's four settings, each once");
        assertNotNull(r.best());
        List<String> lines = Files.readAllLines(out.resolve(TrainSweepRunner.RESULTS));
        assertEquals(5, lines.size());
        assertTrue(lines.get(0).startsWith("index,settings,swd_x1e3"));
        Path sheet = new TrainSweepRunner(c, out, METRICS, n -> { }).writeContactSheet(r);
        assertTrue(Files.size(sheet) > 0);

        // as a kill -9 during the third candidate leaves it: two rows, a torn third line, a half-made folder
        Files.write(out.resolve(TrainSweepRunner.RESULTS), (String.join("\n", lines.subList(0, 3)) + "\n2,\"{\\\"tra")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Integer> kept = new ArrayList<>();
        List<FileTime> times = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            int index = Integer.parseInt(lines.get(i).split(",")[0]);
            kept.add(index);
            times.add(Files.getLastModifiedTime(out.resolve(String.format("candidate-%03d", index)).resolve("model.safetensors")));
        }
        int third = Integer.parseInt(lines.get(3).split(",")[0]);
        Path half = out.resolve(String.format("candidate-%03d", third));
        Files.delete(half.resolve("model.safetensors"));
        TrainSweepRunner.Result resumed = new TrainSweepRunner(c, out, METRICS, n -> { }).run();
        assertEquals(4, resumed.rows().size(), resumed.rows().toString());
        List<String> after = Files.readAllLines(out.resolve(TrainSweepRunner.RESULTS));
        assertEquals(lines.subList(0, 3), after.subList(0, 3), "finished rows stay as they were");
        assertEquals(5, after.size(), "the torn line is gone, two rows added: " + after);
        for (int i = 0; i < 2; i++) {
            assertEquals(times.get(i), Files.getLastModifiedTime(out.resolve(String.format("candidate-%03d", kept.get(i)))
                    .resolve("model.safetensors")), "finished candidates are not trained again");
        }
        assertTrue(Files.exists(half.resolve("model.safetensors")), "the interrupted candidate is trained again");
        Set<String> again = new HashSet<>();
        resumed.rows().forEach(x -> again.add(x.settings()));
        assertEquals(settings, again);
    }
}
