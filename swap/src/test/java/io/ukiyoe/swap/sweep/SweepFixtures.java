package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.swap.BlendOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A sweep problem whose answer is known: the target is the base with only its high-resolution layers (16
 * and 32 px) changed, and the style reference is the target's own images. Any swap that takes 16 px and
 * up from the target (a swap at 4 or 8) then reproduces the target exactly, which no other schedule does.
 * (The CLI's tests score it with eval's metrics, swap's with {@link WeightMeasures}.)
 */
public final class SweepFixtures {
    public final Path base;
    public final Path target;

    /** The two model files in {@code dir}. */
    public SweepFixtures(Path dir) {
        StyleGanModel b = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO).withoutDiscriminator();
        Random r = new Random(3);
        Map<String, Tensor> t = new LinkedHashMap<>();
        b.tensors().forEach((k, v) -> {
            boolean high = (k.startsWith("synthesis/b16/") || k.startsWith("synthesis/b32/")) && k.contains("/conv")
                    && k.endsWith("/weight") && !k.contains("affine");
            if (high) {
                float[] d = v.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] += (float) (0.6 * r.nextGaussian());
                }
                t.put(k, new Tensor(v.shape(), d));
            } else {
                t.put(k, v);
            }
        });
        base = dir.resolve("base.safetensors");
        target = dir.resolve("target.safetensors");
        b.write(base);
        b.with(t, Map.of()).write(target);
    }

    /** Swaps at 4, 8, 16 and 32 px, scored by style alone. */
    public SweepConfig config(Path out, SweepConfig.Search search, int candidates) {
        return config(out, search, candidates, new SweepConfig.Objective(1, 0, 0, 0, 0, 0));
    }

    public SweepConfig config(Path out, SweepConfig.Search search, int candidates, SweepConfig.Objective objective) {
        return new SweepConfig(null, base, target, null,
                new SweepConfig.Space(List.of("swap"), List.of(4, 8, 16, 32), new SweepConfig.Interval(0.3, 2),
                        List.of(0, 1), new SweepConfig.Interval(0, 1)),
                search, 4, candidates, null, objective, new SweepConfig.Metrics(null, 32, 100, 1000), Seeds.parse("0-15"), 48, 0.7,
                BlendOptions.Source.BASE, BlendOptions.Side.BASE, 3, 7, out);
    }

    /** The row of a schedule. */
    public static SweepResults.Row row(SweepRunner.Result r, io.ukiyoe.swap.Schedule s) {
        return r.rows().stream().filter(x -> SweepRunner.parse(x.schedule()).equals(s)).findFirst().orElseThrow();
    }
}
