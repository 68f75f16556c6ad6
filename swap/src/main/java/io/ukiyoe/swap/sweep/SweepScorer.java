package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.config.ConfigWriter;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.swap.BlendOptions;
import io.ukiyoe.swap.Blender;
import io.ukiyoe.swap.Schedule;
import io.ukiyoe.swap.sweep.BlendMeasures.Measures;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What scoring a blend schedule needs, prepared once per JVM: the two models, the sweep's
 * {@link BlendMeasures} (its style reference and the base's images on the structure seeds), and the
 * {@link SweepObjective} whose terms are fractions of the gap between the models. Scoring a schedule
 * depends on nothing else, so any worker scores it the same.
 */
public final class SweepScorer {
    private final SweepConfig c;
    private final StyleGanModel base;
    private final StyleGanModel target;
    private final BlendMeasures measures;
    private final SweepObjective objective;

    public SweepScorer(SweepConfig c, BlendMeasures.Factory factory) {
        this.c = c;
        base = model(c.base());
        target = model(c.target());
        Blender.requireCompatible(c.base(), c.target(), base, target);
        SweepRunner.requireMeasurable(base, factory);
        measures = factory.prepare(c, base, target);
        // the gap every candidate is measured against: the base's style distance, the target's structure loss
        Measures baseM = measures.of(base, true);
        Measures targetM = measures.of(target, false);   // only its structure and pose are gaps: no Inception pass
        objective = SweepObjective.of(c.objective(), baseM, targetM);
    }

    /** A model file, read once per JVM (the sweep's driver and its in-process scorer share it). */
    static StyleGanModel model(java.nio.file.Path file) {
        return io.ukiyoe.core.cluster.WorkerCache.get("stylegan " + io.ukiyoe.core.cluster.WorkerCache.fileKey(file),
                () -> Importer.importFile(file, Importer.Format.AUTO));
    }

    /** How the sweep blends a schedule (mapping and noise from the config; D dropped). */
    public static BlendOptions options(SweepConfig c, Schedule s) {
        return new BlendOptions(s, c.mapping(), null, c.noise(), BlendOptions.DiscriminatorChoice.DROP, Map.of());
    }

    /** A schedule's key in results.csv: its config tree as one line of JSON. */
    static String key(Schedule s) {
        return JsonMapper.builder().build().writeValueAsString(ConfigWriter.toTree(s));
    }

    /** Scores one schedule: SWD of blended images vs the style reference, structure and pose vs the base. */
    SweepResults.Row score(int index, Schedule s) {
        long t0 = System.nanoTime();
        Measures m = measures.of(Blender.blend(base, target, options(c, s), Map.of()).model(), true);
        return new SweepResults.Row(index, key(s), m.swd(), m.correlation16(), m.ssim32(), m.yawDifference(),
                m.fid(), m.kidX1e3(), objective.of(m), (System.nanoTime() - t0) / 1e9, "ok", null);
    }
}
