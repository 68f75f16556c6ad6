package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.Images;
import io.ukiyoe.swap.sweep.ContactSheet;
import io.ukiyoe.swap.sweep.SweepConfig;
import io.ukiyoe.swap.sweep.SweepResults;
import io.ukiyoe.swap.sweep.SweepRunner;
import io.ukiyoe.training.TrainingKinds;
import io.ukiyoe.training.sweep.TrainSweepConfig;
import io.ukiyoe.training.sweep.TrainSweepRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ukiyoe sweep}: search blend schedules with Arbiter. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Search blend schedules (kind: sweep) scored by style distance and structure, or training "
                + "settings (kind: sweep, target: train) scored by SWD/FID/KID against the data; resumable.")
final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "A 'kind: sweep' config.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a config setting (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted sweep: finished candidates are not recomputed.")
    Path resume;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default runs/sweep-<time>[-name]).")
    Path runDir;

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @picocli.CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path configFile = file;
        if (resume != null) {
            if (!Files.isDirectory(resume) || !Files.exists(resume.resolve(RunFolder.CONFIG))) {
                throw new UserError(resume + ": not a sweep run folder (no " + RunFolder.CONFIG + ")");
            }
            if (file != null) {
                throw new UserError("--resume takes the config from the run folder; give no CONFIG.yaml", 2, null);
            }
            configFile = resume.resolve(RunFolder.CONFIG);
        } else if (file == null) {
            throw new UserError("sweep needs CONFIG.yaml (or --resume RUN_DIR)", 2, null);
        }
        if (TrainingKinds.isTrainingSweep(configFile)) {
            if (spark.master != null) {
                throw new UserError("--spark: training sweeps run one short training after another here; "
                        + "--spark spreads blend sweeps", 2, null);
            }
            return trainingSweep(configFile);
        }
        ExperimentConfig<SweepConfig> cfg = ExperimentConfig.load(configFile, overrides, Kinds.all(), "sweep",
                SweepConfig.class);
        SweepConfig c = cfg.value();
        if (resume == null) {
            force.check(c.out());         // a resumed sweep rewrites its own best model
        }
        List<String> argv = spec.commandLine().getParseResult().originalArgs();
        RunFolder run = resume != null ? null
                : RunFolder.create(Path.of("runs"), "sweep", c.name(), runDir, "--run-dir", LocalDateTime.now());
        Path dir = resume != null ? resume : run.dir();
        Path usedConfig = configFile;
        Jobs.Body work = () -> {
            if (run != null) {
                run.writeConfig(cfg.resolvedYaml());
                List<Path> inputs = new ArrayList<>(List.of(usedConfig, c.base(), c.target()));
                run.writeProvenance(Provenance.capture(c.seed(), argv, inputs));
            }
            Progress p = new Progress(spec.commandLine().getErr(), "sweep", c.candidates());
            SweepRunner runner = new SweepRunner(c, dir, EvalBlendMeasures.INSTANCE, p::update);
            SweepRunner.Result r;
            try (Cluster cluster = spark.open()) {
                r = runner.run(cluster);
            }
            p.done();
            var out = spec.commandLine().getOut();
            if (r.best() == null) {
                throw new UserError("every candidate failed; see " + dir.resolve(SweepResults.FILE));
            }
            r.bestModel().write(c.out());
            Path sheet = dir.resolve(ContactSheet.FILE);
            Images.writePng(sheet, ContactSheet.of(runner.base(), runner.target(), r.rows(), c));
            out.printf(Locale.ROOT, "%d candidates in %s%n", r.rows().size(), dir.resolve(SweepResults.FILE));
            out.printf(Locale.ROOT, "best: %s  objective %.4f (SWD x1e3 %.3f%s, correlation16 %.4f) -> %s%n",
                    r.best().schedule(), r.best().objective(), r.best().swd(), Double.isNaN(r.best().fid()) ? ""
                            : String.format(Locale.ROOT, ", FID %.3f, KID x1e3 %.3f", r.best().fid(), r.best().kid()),
                    r.best().correlation16(), c.out());
            out.printf("contact sheet: %s%n", sheet);
        };
        if (run == null) {
            work.run();                 // a resumed sweep: results.csv records each candidate as it ends
        } else {
            Jobs.guarded(run, () -> java.nio.file.Files.exists(dir.resolve(SweepResults.FILE)), work);
        }
        return 0;
    }

    /** A sweep of training settings: each candidate a short fine-tune in its own run folder. */
    private int trainingSweep(Path configFile) throws Exception {
        ExperimentConfig<TrainSweepConfig> cfg = ExperimentConfig.load(configFile, overrides, TrainingKinds.trainingSweep(),
                "sweep", TrainSweepConfig.class);
        TrainSweepConfig c = cfg.value();
        List<String> argv = spec.commandLine().getParseResult().originalArgs();
        RunFolder run = resume != null ? RunFolder.reopen(resume)
                : RunFolder.create(Path.of("runs"), "sweep", c.name(), runDir, "--run-dir", LocalDateTime.now());
        Path dir = run.dir();
        boolean fresh = resume == null;
        Jobs.guarded(run, () -> true, () -> {        // kept even on failure: results.csv and finished candidates
            if (fresh) {
                run.writeConfig(cfg.resolvedYaml());
                run.writeProvenance(Provenance.capture(c.seed(), argv, List.of(configFile, c.train())));
            }
            Progress p = new Progress(spec.commandLine().getErr(), "sweep", c.candidates());
            TrainSweepRunner runner = new TrainSweepRunner(c, dir, EvalTrainMetrics.INSTANCE, p::update);
            TrainSweepRunner.Result r = Quiet.call(spec, runner::run);       // the libraries' chatter stays off the terminal
            p.done();
            if (r.best() == null) {
                throw new UserError("every candidate failed; see " + dir.resolve(TrainSweepRunner.RESULTS));
            }
            Path sheet = runner.writeContactSheet(r);
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%d candidates in %s%n", r.rows().size(), dir.resolve(TrainSweepRunner.RESULTS));
            out.printf(Locale.ROOT, "best: #%d %s  %s %.4f -> %s%n", r.best().index(), r.best().settings(),
                    c.objective().name().toLowerCase(Locale.ROOT), r.best().objective(),
                    runner.candidateDir(r.best().index()).resolve("model.safetensors"));
            if (sheet != null) {
                out.printf("contact sheet: %s%n", sheet);
            }
        });
        return 0;
    }
}
