package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigWriter;
import io.ukiyoe.eval.Compare;
import io.ukiyoe.eval.ImageSets;
import io.ukiyoe.eval.Swd;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.nn.Generator;
import io.ukiyoe.swap.BlendOptions;
import io.ukiyoe.swap.Blender;
import io.ukiyoe.swap.Schedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import io.ukiyoe.eval.sweep.ArbiterSweep;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.BaseCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a blend-schedule sweep with Arbiter's {@link LocalOptimizationRunner}: candidates come from
 * an Arbiter generator over a {@link BlendSpace}; each is blended in memory and scored on the same
 * seeds; every finished candidate is appended to {@code results.csv} at once, so a crash loses
 * nothing, and a resumed sweep takes finished candidates from that file instead of recomputing them.
 */
public final class SweepRunner {
    public static final String RESULTS = "results.csv";
    static final String HEADER = "index,schedule,swd_x1e3,correlation16,ssim32,yaw_difference,objective,seconds,status,error";
    /** Seeds of the target's own images when no style data is given (disjoint from candidate seeds). */
    static final long STYLE_SEED_OFFSET = 1_000_000;

    /** One finished candidate. */
    public record Row(int index, String schedule, double swd, double correlation16, double ssim32, double yawDifference,
                      double objective, double seconds, String status, String error) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.2f,%s,%s", index, quote(schedule), swd,
                    correlation16, ssim32, yawDifference, objective, seconds, status, quote(error == null ? "" : error));
        }
    }

    /** The finished table and the best row (null when every candidate failed). */
    public record Result(List<Row> rows, Row best, StyleGanModel bestModel) {}

    private final SweepConfig c;
    private final Path runDir;
    private final StyleGanModel base;
    private final StyleGanModel target;
    private final Swd.Descriptors style;
    private final List<float[]> baseImages = new ArrayList<>();
    private final Map<String, Row> finished;
    private final List<Row> rows = new ArrayList<>();
    private final IntConsumer progress;
    /** Test hook: candidates for which scoring fails on purpose. */
    Predicate<Schedule> injectFailure = s -> false;

    public SweepRunner(SweepConfig c, Path runDir, IntConsumer progress) {
        this.c = c;
        this.runDir = runDir;
        this.progress = progress;
        base = Importer.importFile(c.base(), Importer.Format.AUTO);
        target = Importer.importFile(c.target(), Importer.Format.AUTO);
        Blender.requireCompatible(c.base(), c.target(), base, target);
        int res = base.config().resolution();
        if (res < Swd.MIN_RESOLUTION) {
            throw new UserError("sweeps measure style with SWD, which needs models of at least 16 px (this one is " + res + ")");
        }
        finished = readFinished(runDir.resolve(RESULTS));
        rows.addAll(finished.values());
        style = new Swd.Descriptors(res, c.seed());
        if (c.styleData() != null) {
            int got = ImageSets.read(c.styleData(), res, c.styleImages(), c.seed(), img -> style.add(ImageSets.to255(img)));
            if (got == 0) {
                throw new UserError(c.styleData() + ": no readable images for the style reference");
            }
        } else {
            List<Long> seeds = new ArrayList<>();
            for (long i = 0; i < c.styleImages(); i++) {
                seeds.add(STYLE_SEED_OFFSET + i);
            }
            ImageSets.generate(new Generator(target), seeds, c.truncation(), 16, img -> style.add(ImageSets.to255(img)));
        }
        ImageSets.generate(new Generator(base), c.seeds().values(), c.truncation(), 16, baseImages::add);
        // the gap every candidate is measured against: the base's style distance, the target's structure loss
        Measures baseM = measure(base);
        Measures targetM = measure(target);
        styleGap = Math.max(baseM.swd(), 1e-9);
        structureGap = Math.max(1 - targetM.compare().correlation16(), 1e-9);
        poseGap = Double.isNaN(targetM.compare().yawDifference()) ? 1 : Math.max(targetM.compare().yawDifference(), 1e-9);
    }

    /** Added to the objective of a blend under the structure floor: it ranks after every blend above it. */
    public static final double BELOW_FLOOR = 10;

    private final double styleGap;
    private final double structureGap;
    private final double poseGap;

    /** A model's style distance to the style reference and its structure against the base. */
    private record Measures(double swd, Compare.Result compare) {}

    private Measures measure(StyleGanModel m) {
        Generator g = new Generator(m);
        Swd.Descriptors d = new Swd.Descriptors(base.config().resolution(), c.seed() + 1);
        ImageSets.generate(g, ImageSets.range(c.styleImages()), c.truncation(), 16, img -> d.add(ImageSets.to255(img)));
        double swd = Swd.compute(style, d, c.seed()).average();
        List<float[]> imgs = new ArrayList<>();
        ImageSets.generate(g, c.seeds().values(), c.truncation(), 16, imgs::add);
        return new Measures(swd, Compare.compare(baseImages, imgs, base.config().resolution()));
    }

    /** The objective of a candidate's measures (see {@link SweepConfig.Objective}). */
    double objective(double swd, Compare.Result cmp) {
        SweepConfig.Objective o = c.objective();
        double yaw = Double.isNaN(cmp.yawDifference()) ? 0 : cmp.yawDifference();
        double v = o.style() * swd / styleGap + o.structure() * (1 - cmp.correlation16()) / structureGap
                + o.pose() * yaw / poseGap;
        return cmp.correlation16() < o.minCorrelation16() ? v + BELOW_FLOOR : v;
    }

    BlendOptions options(Schedule s) {
        return new BlendOptions(s, c.mapping(), null, c.noise(), BlendOptions.DiscriminatorChoice.DROP, Map.of());
    }

    static String key(Schedule s) {
        Map<String, Object> tree = ConfigWriter.toTree(s);
        return JsonMapper.builder().build().writeValueAsString(tree);
    }

    /** Scores one schedule: SWD of blended images vs the style reference, structure and pose vs the base. */
    Row score(int index, Schedule s) {
        long t0 = System.nanoTime();
        if (injectFailure.test(s)) {
            throw new IllegalStateException("injected failure");
        }
        Measures m = measure(Blender.blend(base, target, options(s), Map.of()).model());
        Compare.Result cmp = m.compare();
        return new Row(index, key(s), m.swd(), cmp.correlation16(), cmp.ssim32(), cmp.yawDifference(),
                objective(m.swd(), cmp), (System.nanoTime() - t0) / 1e9, "ok", null);
    }

    private synchronized Row scoredThisRun(String key) {
        return rows.stream().filter(r -> r.schedule().equals(key)).findFirst().orElse(null);
    }

    private synchronized void record(Row r) {
        rows.add(r);
        io.ukiyoe.core.io.Csv.appendRow(runDir.resolve(RESULTS), HEADER, r.csv());
        progress.accept(rows.size());
    }

    public Result run() {
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
        ArbiterSweep.run(gen, c.candidates(), c.maxMinutes(), c.seed(), this::evaluate);
        Row best = rows.stream().filter(r -> r.status().equals("ok")).min(Comparator.comparingDouble(Row::objective))
                .orElse(null);
        StyleGanModel bestModel = null;
        if (best != null) {
            Schedule s = parse(best.schedule());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("blend", best.schedule());
            meta.put("sweep_objective", Double.toString(best.objective()));
            meta.put("base_sha256", io.ukiyoe.core.io.Hashing.sha256(c.base()));
            meta.put("target_sha256", io.ukiyoe.core.io.Hashing.sha256(c.target()));
            bestModel = Blender.blend(base, target, options(s), meta).model();
        }
        return new Result(List.copyOf(rows), best, bestModel);
    }

    public StyleGanModel base() {
        return base;
    }

    public StyleGanModel target() {
        return target;
    }

    /** Sorted rows, best first (failed rows last). */
    public static List<Row> ranked(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing((Row r) -> !r.status().equals("ok")).thenComparingDouble(Row::objective));
        return out;
    }

    /** A schedule back from its JSON key. */
    public static Schedule parse(String json) {
        var node = io.ukiyoe.core.config.YamlTree.parseValue(json, new io.ukiyoe.core.config.Pos("results.csv", 0, 0));
        return io.ukiyoe.core.config.Binder.bind(node, Schedule.class).value();
    }

    // ---- results.csv -------------------------------------------------------------------------------

    static String quote(String s) {
        return io.ukiyoe.core.io.Csv.quote(s);
    }

    /** Finished candidates of an earlier (interrupted) run, by schedule key. */
    static Map<String, Row> readFinished(Path file) {
        Map<String, Row> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 1; i < lines.size(); i++) {
                List<String> cells = splitCsv(lines.get(i));
                if (cells.size() < 10) {
                    continue; // a line cut short by a crash: computed again
                }
                Row r = new Row(Integer.parseInt(cells.get(0)), cells.get(1), Double.parseDouble(cells.get(2)),
                        Double.parseDouble(cells.get(3)), Double.parseDouble(cells.get(4)), Double.parseDouble(cells.get(5)),
                        Double.parseDouble(cells.get(6)), Double.parseDouble(cells.get(7)), cells.get(8),
                        cells.get(9).isEmpty() ? null : cells.get(9));
                out.put(r.schedule(), r);
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": cannot read the results of the earlier run: " + e.getMessage(), e);
        }
        return out;
    }

    static List<String> splitCsv(String line) {
        return io.ukiyoe.core.io.Csv.split(line);
    }

    // ---- one candidate ----------------------------------------------------------------------------

    /** Blends and scores a candidate; a finished one (resume, or drawn again) is taken from results.csv. */
    private ArbiterSweep.Outcome evaluate(Candidate candidate) {
        Schedule s = (Schedule) candidate.getValue();
        String key = key(s);
        Row done = finished.get(key);
        if (done == null) {
            done = scoredThisRun(key);
        }
        if (done != null) { // resumed, or the same schedule drawn again: not scored twice
            return new ArbiterSweep.Outcome(done.status().equals("ok") ? done.objective() : null, done.error());
        }
        Row r;
        try {
            r = score(candidate.getIndex(), s);
        } catch (RuntimeException e) {
            // recorded as failed; the sweep goes on with the next candidate
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            record(new Row(candidate.getIndex(), key, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, 0, "failed", why));
            return new ArbiterSweep.Outcome(null, why);
        }
        record(r);
        return new ArbiterSweep.Outcome(r.objective(), null);
    }
}
