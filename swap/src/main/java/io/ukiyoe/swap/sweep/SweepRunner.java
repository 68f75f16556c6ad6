package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Shipped;
import io.ukiyoe.core.cluster.WorkerCache;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.core.sweep.ArbiterSweep;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.swap.Blender;
import io.ukiyoe.swap.Schedule;
import io.ukiyoe.swap.sweep.SweepResults.Row;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.BaseCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

/**
 * Runs a blend-schedule sweep: candidates come from an Arbiter generator over a {@link BlendSpace}, drawn
 * on this machine in batches of the cluster's parallelism; each batch is scored where the cluster runs it
 * ({@link Cluster#local()}: here, one after another; Spark: one task per candidate), every worker
 * preparing a {@link SweepScorer} once with the {@link BlendMeasures} the caller gave (each work item
 * carries their factory). Every finished candidate is appended to {@code results.csv} in candidate order
 * at once, so a crash loses nothing, and a resumed sweep takes finished candidates from that file instead
 * of recomputing them. Scores depend only on the schedule, so the table is the same on
 * any engine (the genetic generator sees a batch's results after the batch: with a parallelism above 1 it
 * draws differently).
 */
public final class SweepRunner {

    /** The finished table and the best row (null when every candidate failed). */
    public record Result(List<Row> rows, Row best, StyleGanModel bestModel) {}

    /** One candidate to score, as a worker receives it: the schedule, the config as text, what measures it. */
    record Work(int index, String schedule, String config, String scorerKey, BlendMeasures.Factory measures)
            implements Serializable {}

    /** Added to the objective of a blend under the structure floor: it ranks after every blend above it. */
    public static final double BELOW_FLOOR = 10;

    private final SweepConfig c;
    private final Path runDir;
    private final BlendMeasures.Factory measures;
    private final StyleGanModel base;
    private final StyleGanModel target;
    private final Map<String, Row> finished;
    private final List<Row> rows = new ArrayList<>();
    private final IntConsumer progress;

    /** A sweep of {@code c} into {@code runDir}, its candidates measured by what {@code measures} prepares. */
    public SweepRunner(SweepConfig c, Path runDir, BlendMeasures.Factory measures, IntConsumer progress) {
        this.c = c;
        this.runDir = runDir;
        this.measures = measures;
        this.progress = progress;
        base = SweepScorer.model(c.base());
        target = SweepScorer.model(c.target());
        Blender.requireCompatible(c.base(), c.target(), base, target);
        requireMeasurable(base, measures);
        SweepConfig.Objective o = c.objective();
        if ((o.fid() > 0 || o.kid() > 0) && c.metrics().inception() == null) {
            throw new UserError("objective." + (o.fid() > 0 ? "fid" : "kid") + " needs metrics.inception: the Inception "
                    + "weights file (pt_inception-2015-12-05-6726825d.pth)");
        }
        if (c.metrics().inception() != null && c.styleImages() < 2) {
            throw new UserError("FID and KID need at least 2 images per set: style_images is " + c.styleImages());
        }
        finished = SweepResults.read(runDir.resolve(SweepResults.FILE));
        rows.addAll(finished.values());
    }

    /** A one-line error for a model smaller than the measures take. */
    static void requireMeasurable(StyleGanModel base, BlendMeasures.Factory measures) {
        if (base.config().resolution() < measures.minResolution()) {
            throw new UserError("sweeps measure style with SWD, which needs models of at least " + measures.minResolution()
                    + " px (this one is " + base.config().resolution() + ")");
        }
    }

    /** Scores a candidate on a worker; a failing blend becomes a failed row, and the sweep goes on. */
    static Row score(Work w) {
        SweepScorer scorer = WorkerCache.get(w.scorerKey(), () -> new SweepScorer(Shipped.config(w.config(), SweepConfig.class),
                w.measures()));
        try {
            return scorer.score(w.index(), parse(w.schedule()));
        } catch (RuntimeException e) {
            return failed(w, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static Row failed(Work w, String why) {
        return new Row(w.index(), w.schedule(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, 0, "failed", why);
    }

    private void record(Row r) {
        rows.add(r);
        SweepResults.append(runDir, r);
        progress.accept(rows.size());
    }

    /** The sweep in this JVM. */
    public Result run() {
        return run(Cluster.local());
    }

    /** The sweep with candidates scored on {@code cluster}. */
    public Result run(Cluster cluster) {
        BlendSpace space = new BlendSpace(c.space(), base.config().resolution());
        CandidateGenerator gen = switch (c.search()) {
            case RANDOM -> new RandomSearchGenerator(space, null);
            case GRID -> new GridSearchCandidateGenerator(space, c.gridPoints(), GridSearchCandidateGenerator.Mode.Sequential,
                    null);
            case GENETIC -> new GeneticSearchCandidateGenerator.Builder(space, ArbiterSweep.minimize()).build();
        };
        if (gen instanceof BaseCandidateGenerator<?> b) {
            b.setRngSeed(c.seed());
        }
        String config = Shipped.config(c);
        // the models by path, size and time: reading them again to hash them would double the start-up
        String scorerKey = "sweep " + Hashing.sha256(config.getBytes(StandardCharsets.UTF_8)) + " "
                + WorkerCache.fileKey(c.base()) + " " + WorkerCache.fileKey(c.target()) + " " + measures.getClass().getName();
        ArbiterSweep.run(gen, c.candidates(), c.maxMinutes(), cluster.parallelism(),
                batch -> evaluate(batch, cluster, config, scorerKey));
        WorkerCache.evict(scorerKey);
        try {
            SweepCharts.write(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Row best = rows.stream().filter(r -> r.status().equals("ok")).min(Comparator.comparingDouble(Row::objective))
                .orElse(null);
        StyleGanModel bestModel = null;
        if (best != null) {
            Schedule s = parse(best.schedule());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("blend", best.schedule());
            meta.put("sweep_objective", Double.toString(best.objective()));
            meta.put("base_sha256", Hashing.sha256(c.base()));
            meta.put("target_sha256", Hashing.sha256(c.target()));
            bestModel = Blender.blend(base, target, SweepScorer.options(c, s), meta).model();
        }
        return new Result(List.copyOf(rows), best, bestModel);
    }

    /**
     * Scores a batch on the cluster: candidates finished before (resume) or drawn twice are taken from
     * their row, the others scored by one task each and recorded in candidate order.
     */
    private List<ArbiterSweep.Outcome> evaluate(List<Candidate> batch, Cluster cluster, String config, String scorerKey) {
        Map<String, Row> known = new LinkedHashMap<>(finished);
        rows.forEach(r -> known.putIfAbsent(r.schedule(), r));
        List<Work> todo = new ArrayList<>();
        for (Candidate cand : batch) {
            String key = SweepScorer.key((Schedule) cand.getValue());
            if (!known.containsKey(key) && todo.stream().noneMatch(w -> w.schedule().equals(key))) {
                todo.add(new Work(cand.getIndex(), key, config, scorerKey, measures));
            }
        }
        for (Row r : cluster.map(todo, SweepRunner::score)) {
            record(r);
            known.put(r.schedule(), r);
        }
        List<ArbiterSweep.Outcome> out = new ArrayList<>();
        for (Candidate cand : batch) {
            Row r = known.get(SweepScorer.key((Schedule) cand.getValue()));
            out.add(new ArbiterSweep.Outcome(r.status().equals("ok") ? r.objective() : null, r.error()));
        }
        return out;
    }

    public StyleGanModel base() {
        return base;
    }

    public StyleGanModel target() {
        return target;
    }

    /** A schedule back from its JSON key. */
    public static Schedule parse(String json) {
        var node = io.ukiyoe.core.config.YamlTree.parseValue(json, new io.ukiyoe.core.config.Pos("results.csv", 0, 0));
        return io.ukiyoe.core.config.Binder.bind(node, Schedule.class).value();
    }
}
