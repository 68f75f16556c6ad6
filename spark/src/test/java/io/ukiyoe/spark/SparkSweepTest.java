package io.ukiyoe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.eval.StyleStructureMeasures;
import io.ukiyoe.eval.Swd;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.swap.BlendOptions;
import io.ukiyoe.swap.sweep.BlendMeasures;
import io.ukiyoe.swap.sweep.SweepConfig;
import io.ukiyoe.swap.sweep.SweepResults;
import io.ukiyoe.swap.sweep.SweepRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blend sweep with its candidates scored by Spark tasks writes the same results.csv rows as the plain
 * sweep: each task carries {@link EvalMeasures} and the executor's threads prepare and share one scorer.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SparkSweepTest {
    @TempDir
    Path dir;

    @Test
    void sameCandidatesAndObjectivesAsThePlainSweep() throws Exception {
        StyleGanModel b = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO).withoutDiscriminator();
        Random r = new Random(5);
        Map<String, Tensor> t = new LinkedHashMap<>();
        b.tensors().forEach((k, v) -> {
            float[] d = v.data().clone();
            if (k.startsWith("synthesis/b32/") && k.endsWith("/weight")) {
                for (int i = 0; i < d.length; i++) {
                    d[i] += (float) (0.5 * r.nextGaussian());
                }
            }
            t.put(k, new Tensor(v.shape(), d));
        });
        Path base = dir.resolve("base.safetensors");
        Path target = dir.resolve("target.safetensors");
        b.write(base);
        b.with(t, Map.of()).write(target);
        Path plainDir = Files.createDirectories(dir.resolve("plain"));
        Path sparkDir = Files.createDirectories(dir.resolve("spark"));
        new SweepRunner(config(base, target, plainDir), plainDir, new EvalMeasures(), i -> { }).run();
        try (SparkCluster spark = SparkCluster.connect("local[2]")) {
            new SweepRunner(config(base, target, sparkDir), sparkDir, new EvalMeasures(), i -> { }).run(spark);
        }
        List<String> plain = withoutSeconds(plainDir.resolve(SweepResults.FILE));
        assertEquals(5, plain.size(), plain.toString());
        org.junit.jupiter.api.Assertions.assertTrue(plain.stream().skip(1).allMatch(l -> l.contains(",ok,")), plain.toString());
        assertEquals(plain, withoutSeconds(sparkDir.resolve(SweepResults.FILE)));
    }

    static SweepConfig config(Path base, Path target, Path run) {
        return new SweepConfig(null, base, target, null,
                new SweepConfig.Space(List.of("swap", "sigmoid"), List.of(4, 8, 16, 32), new SweepConfig.Interval(0.3, 2),
                        List.of(0, 1), new SweepConfig.Interval(0, 1)),
                SweepConfig.Search.RANDOM, 4, 4, null, new SweepConfig.Objective(1, 0.25, 0, 0, 0, 0.8),
                new SweepConfig.Metrics(null, 32, 100, 1000), Seeds.parse("0-7"), 16,
                0.7, BlendOptions.Source.BASE, BlendOptions.Side.BASE, 3, 11, run.resolve("best.safetensors"));
    }

    /**
     * eval's SWD and structure measures against the target's images, as the CLI's EvalBlendMeasures gives
     * them for this config (no style data, no Inception); this module cannot see the CLI, which builds on it
     * with -Pspark. A record, so that it travels to the executors.
     */
    record EvalMeasures() implements BlendMeasures.Factory {
        @Override
        public int minResolution() {
            return Swd.MIN_RESOLUTION;
        }

        @Override
        public BlendMeasures prepare(SweepConfig c, StyleGanModel base, StyleGanModel target) {
            var eval = new StyleStructureMeasures(new StyleStructureMeasures.Options(null, c.styleImages(),
                    c.seeds().values(), c.truncation(), c.seed(), null, 1, 1, 1), base, target);
            return (model, withFidKid) -> {
                var m = eval.of(model, withFidKid);
                return new BlendMeasures.Measures(m.swd(), m.fid(), m.kidX1e3(), m.compare().correlation16(),
                        m.compare().ssim32(), m.compare().yawDifference());
            };
        }
    }

    /** results.csv rows without the seconds column (timing differs between runs). */
    static List<String> withoutSeconds(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> l.replaceAll(",[0-9.]+,(ok|failed),", ",_,$1,")).toList();
    }
}
