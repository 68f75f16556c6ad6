package io.ukiyoe.training.sweep;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.io.Csv;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.training.SnapshotMetric;
import io.ukiyoe.training.TrainConfig;
import io.ukiyoe.training.TrainJob;
import io.ukiyoe.training.TrainMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import io.ukiyoe.core.sweep.ArbiterSweep;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.BaseCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a sweep of training settings with Arbiter's {@link LocalOptimizationRunner}: each candidate
 * (a {@link TrainSpace} value) is the train config with its settings, trained in its own run folder
 * {@code candidate-<index>/} (config, log, metrics, fakes grids, checkpoints, model), then scored: SWD
 * x1e3 of G_ema's images (seeds 0..images-1, no truncation) against the training data, and FID / KID
 * when asked. Each finished candidate is appended to {@code results.csv} at once; a resumed sweep
 * draws the same candidates, takes finished ones from that file, and trains an interrupted one again
 * from its start.
 */
public final class TrainSweepRunner {
    public static final String RESULTS = "results.csv";
    public static final String CONTACT_SHEET = "contact-sheet.png";
    static final String HEADER = "index,settings,swd_x1e3,fid,kid_x1e3,objective,seconds,status,error";
    private static final ConfigKinds TRAIN = new ConfigKinds().register("train", TrainConfig.class);

    /** One finished candidate; settings are its overrides as JSON. */
    public record Row(int index, String settings, double swd, double fid, double kid, double objective,
                      double seconds, String status, String error) {
        String csv() {
            return Csv.row(Csv.number("%d", index), settings, Csv.number("%.6f", swd), Csv.number("%.6f", fid),
                    Csv.number("%.6f", kid), Csv.number("%.6f", objective), Csv.number("%.2f", seconds), new Csv.Raw(status),
                    error == null ? "" : error);
        }
    }

    /** Every row (this run's and an earlier one's) and the best (null when every candidate failed). */
    public record Result(List<Row> rows, Row best) {}

    private final TrainSweepConfig c;
    private final Path dir;
    private final IntConsumer progress;
    private final TrainMetrics metrics;
    private final SnapshotMetric<Generator> swd;
    private final SnapshotMetric<Generator> inception;
    private final Map<String, Row> finished;
    private final List<Row> rows = new ArrayList<>();
    /** Test hook: runs after each candidate is recorded (a test interrupts the sweep here). */
    Consumer<Row> afterRecord = r -> { };

    /** {@code metrics} scores the candidates (SWD, and FID / KID when asked) and their snapshots. */
    public TrainSweepRunner(TrainSweepConfig c, Path dir, TrainMetrics metrics, IntConsumer progress) {
        if (!"train".equals(c.target())) {
            throw new UserError("a training sweep has target: train, got " + c.target());
        }
        this.c = c;
        this.dir = dir;
        this.progress = progress;
        this.metrics = metrics;
        ExperimentConfig<TrainConfig> template = trainConfig(Map.of());
        TrainConfig t = template.value();
        StyleGanModel start = TrainJob.startingModel(template);   // checks the config and the model up front
        int resolution = start.config().resolution();
        swd = metrics.swd(Path.of(t.data().path()), resolution, c.images(), c.seed());
        new TrainSpace(c.space());                               // an unusable space fails before any training
        List<String> which = new ArrayList<>(c.metrics());
        if (c.objective() != TrainSweepConfig.Objective.SWD) {
            String needed = c.objective().name().toLowerCase(Locale.ROOT);
            if (!which.contains(needed)) {
                which.add(needed);
            }
        }
        inception = metrics.inception(t, which);
        finished = readFinished(dir.resolve(RESULTS));
        rows.addAll(finished.values());
    }

    /** The train config with a candidate's settings (each a {@code --set} override). */
    private ExperimentConfig<TrainConfig> trainConfig(Map<String, String> settings) {
        List<String> overrides = new ArrayList<>();
        settings.forEach((k, v) -> overrides.add(k + "=" + v));
        return ExperimentConfig.load(c.train(), overrides, TRAIN, "train", TrainConfig.class);
    }

    static String key(Map<String, String> settings) {
        return JsonMapper.builder().build().writeValueAsString(new TreeMap<>(settings));
    }

    /** The run folder of candidate {@code index}. */
    public Path candidateDir(int index) {
        return dir.resolve(String.format(Locale.ROOT, "candidate-%03d", index));
    }

    /** Trains one candidate in its own run folder and scores its G_ema. */
    Row trainAndScore(int index, Map<String, String> settings) {
        long t0 = System.nanoTime();
        ExperimentConfig<TrainConfig> cfg = trainConfig(settings);
        StyleGanModel start = TrainJob.startingModel(cfg);
        Path runDir = candidateDir(index);
        deleteTree(runDir);                        // an interrupted earlier attempt: trained again from its start
        RunFolder run = RunFolder.create(dir, "train", null, runDir, LocalDateTime.now());
        StyleGanModel model;
        try {
            run.writeConfig(cfg.resolvedYaml());
            model = TrainJob.run(cfg, run, start, metrics, step -> { });
            run.finished();
        } catch (RuntimeException e) {
            run.failed(e, true);
            throw e;
        } finally {
            run.close();
        }
        Generator g = new Generator(model);
        double swd = this.swd.score(g).get("swd_x1e3");
        Map<String, Double> inc = inception.score(g);
        double fid = inc.getOrDefault("fid", Double.NaN);
        double kid = inc.getOrDefault("kid_x1e3", Double.NaN);
        double objective = switch (c.objective()) {
            case SWD -> swd;
            case FID -> fid;
            case KID -> kid;
        };
        return new Row(index, key(settings), swd, fid, kid, objective, (System.nanoTime() - t0) / 1e9, "ok", null);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void record(Row r) {
        rows.add(r);
        Csv.appendRow(dir.resolve(RESULTS), HEADER, r.csv());
        progress.accept(rows.size());
        afterRecord.accept(r);
    }

    private synchronized Row known(String key) {
        Row r = finished.get(key);
        return r != null ? r : rows.stream().filter(x -> x.settings().equals(key)).findFirst().orElse(null);
    }

    public Result run() {
        TrainSpace space = new TrainSpace(c.space());
                CandidateGenerator gen = switch (c.search()) {
            case RANDOM -> new RandomSearchGenerator(space, null);
            case GRID -> new GridSearchCandidateGenerator(space, 1, GridSearchCandidateGenerator.Mode.Sequential, null);
        };
        if (gen instanceof BaseCandidateGenerator<?> b) {
            b.setRngSeed(c.seed());
        }
        ArbiterSweep.run(gen, c.candidates(), c.maxMinutes(), this::evaluate);
        Row best = ranked(rows).stream().filter(r -> r.status().equals("ok") && Double.isFinite(r.objective()))
                .findFirst().orElse(null);
        return new Result(List.copyOf(rows), best);
    }

    /** Sorted rows, best first (failed rows last). */
    public static List<Row> ranked(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing((Row r) -> !r.status().equals("ok")).thenComparingDouble(Row::objective));
        return out;
    }

    /**
     * A contact sheet of the best candidates: each row the last grid of fakes of one candidate's run,
     * labelled with its settings and scores; written to {@code contact-sheet.png} in the sweep folder.
     */
    public Path writeContactSheet(Result r) {
        List<List<BufferedImage>> sheetRows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Row row : ranked(r.rows()).stream().filter(x -> x.status().equals("ok")).limit(c.topK()).toList()) {
            Path grid = lastFakes(candidateDir(row.index()));
            if (grid == null) {
                continue;
            }
            try {
                sheetRows.add(List.of(javax.imageio.ImageIO.read(grid.toFile())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            labels.add(String.format(Locale.ROOT, "#%d %s%nobjective %.3f  SWD x1e3 %.2f%s", row.index(),
                    row.settings(), row.objective(), row.swd(), Double.isNaN(row.fid()) ? ""
                            : String.format(Locale.ROOT, "  FID %.2f", row.fid())));
        }
        Path out = dir.resolve(CONTACT_SHEET);
        if (sheetRows.isEmpty()) {
            return null;
        }
        try {
            Images.writePng(out, Images.labelledRows(sheetRows, labels));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Path lastFakes(Path runDir) {
        try (var s = Files.list(runDir)) {
            return s.filter(p -> p.getFileName().toString().matches("fakes\\d+\\.png")).max(Comparator.naturalOrder())
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    // ---- results.csv -------------------------------------------------------------------------------

    /**
     * Finished candidates of an earlier (interrupted) run, by settings. A line cut short by a crash is
     * dropped from the file (that candidate is trained again), so new rows start on a line of their own.
     */
    static Map<String, Row> readFinished(Path file) {
        Map<String, Row> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            List<String> whole = new ArrayList<>(List.of(HEADER));
            for (int i = 1; i < lines.size(); i++) {
                List<String> cells = Csv.split(lines.get(i));
                if (cells.size() < 9) {
                    continue;
                }
                whole.add(lines.get(i));
                Row r = new Row(Integer.parseInt(cells.get(0)), cells.get(1), Double.parseDouble(cells.get(2)),
                        Double.parseDouble(cells.get(3)), Double.parseDouble(cells.get(4)), Double.parseDouble(cells.get(5)),
                        Double.parseDouble(cells.get(6)), cells.get(7), cells.get(8).isEmpty() ? null : cells.get(8));
                out.put(r.settings(), r);
            }
            if (whole.size() != lines.size() || !Files.readString(file).endsWith("\n")) {
                io.ukiyoe.core.io.AtomicFiles.writeString(file, String.join("\n", whole) + "\n");
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": cannot read the results of the earlier run: " + e.getMessage(), e);
        }
        return out;
    }

    // ---- one candidate ----------------------------------------------------------------------------

    /** Trains and scores a candidate; a finished one (resume, or drawn twice) is taken from the table. */
    private ArbiterSweep.Outcome evaluate(Candidate candidate) {
        @SuppressWarnings("unchecked")
        Map<String, String> settings = (Map<String, String>) candidate.getValue();
        String key = key(settings);
        Row done = known(key);
        if (done != null) {
            return new ArbiterSweep.Outcome(done.status().equals("ok") ? done.objective() : null, done.error());
        }
        Row r;
        try {
            r = trainAndScore(candidate.getIndex(), settings);
        } catch (RuntimeException e) {
            // recorded as failed (its run folder keeps the log); the sweep goes on
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            record(new Row(candidate.getIndex(), key, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, "failed", why));
            return new ArbiterSweep.Outcome(null, why);
        }
        record(r);
        return new ArbiterSweep.Outcome(r.objective(), null);
    }
}
