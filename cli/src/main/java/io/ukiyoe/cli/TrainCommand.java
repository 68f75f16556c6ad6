package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.core.run.Resumes;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.training.Checkpoint;
import io.ukiyoe.training.TrainConfig;
import io.ukiyoe.training.TrainJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code ukiyoe train}: train or fine-tune a StyleGAN2 (kind: train), or resume a run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a StyleGAN2 from scratch or fine-tune one (kind: train), or continue a run exactly "
                + "from its newest complete checkpoint (--resume RUN_DIR).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainRunArgs args = new TrainRunArgs();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (args.resume != null) {
            return resume();
        }
        if (args.file == null) {
            throw new UserError("train: give a CONFIG.yaml, or --resume RUN_DIR", 2, null);
        }
        ExperimentConfig<TrainConfig> cfg = ExperimentConfig.load(args.file, args.overrides, Kinds.all(), "train",
                TrainConfig.class);
        TrainConfig c = cfg.value();
        StyleGanModel start = TrainJob.startingModel(cfg);     // checked before the run folder exists
        List<Path> inputs = new ArrayList<>(List.of(args.file));
        if (c.resumeFrom() != null) {
            inputs.add(Path.of(c.resumeFrom()));
        }
        Jobs.newTrainingRun("train", c.name(), args.runDir, run -> {
            run.writeConfig(cfg.resolvedYaml());
            run.writeProvenance(Provenance.capture(c.seed(), spec.commandLine().getParseResult().originalArgs(), inputs));
            long steps = TrainJob.steps(c);
            Progress p = new Progress(spec.commandLine().getErr(), "train", steps);
            Quiet.call(spec, () -> TrainJob.run(cfg, run, start, EvalTrainMetrics.INSTANCE, p::update));
            p.done();
            run.log("finished " + steps + " steps");
            spec.commandLine().getOut().printf("trained %d steps -> %s (checkpoints, metrics.jsonl, fakes*.png)%n",
                    steps, run.resolve("model.safetensors"));
        });
        return 0;
    }

    private int resume() throws Exception {
        Resumes.checkArguments("train", args.file, args.runDir, args.resume, args.overrides, TrainJob.RESUMABLE_OVERRIDES);
        Jobs.resumedTrainingRun(args.resume, run -> {
            Map.Entry<Path, Checkpoint.Contents> last = TrainJob.lastCheckpoint(run);
            ExperimentConfig<TrainConfig> cfg = Resumes.savedConfig(run, last.getKey(), last.getValue().trainConfig(),
                    args.overrides, Kinds.all(), "train", TrainConfig.class, TrainJob.RESUMABLE_OVERRIDES, spec.commandLine().getErr());
            long done = last.getValue().state().step();
            long steps = TrainJob.steps(cfg.value());
            if (done >= steps) {
                spec.commandLine().getOut().printf("%s already finished (step %d of %d); to train longer, raise "
                        + "training.kimg with --set%n", args.resume, done, steps);
                return;
            }
            run.log("resuming from " + last.getKey().getFileName() + " at step " + done + " of " + steps);
            spec.commandLine().getErr().printf("resuming %s from %s (step %d of %d)%n", args.resume,
                    last.getKey().getFileName(), done, steps);
            Progress p = new Progress(spec.commandLine().getErr(), "train", steps);
            Quiet.call(spec, () -> TrainJob.resume(cfg, run, last.getValue(), EvalTrainMetrics.INSTANCE, p::update));
            p.done();
            run.log("finished " + steps + " steps");
            spec.commandLine().getOut().printf("trained %d steps -> %s%n", steps, run.resolve("model.safetensors"));
        });
        return 0;
    }
}
