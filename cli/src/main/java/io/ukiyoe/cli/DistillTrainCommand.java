package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.training.distill.DistillCheckpoint;
import io.ukiyoe.training.distill.DistillConfig;
import io.ukiyoe.training.distill.DistillJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code ukiyoe distill train}: train a pix2pixHD student on aligned pairs (kind: distill), or resume a run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a pix2pixHD student on aligned pairs (DIR/train_A, DIR/train_B; kind: distill), or continue "
                + "a run exactly from its newest complete checkpoint (--resume RUN_DIR). The run folder ends with "
                + "student.safetensors, which 'ukiyoe translate --model' takes.")
final class DistillTrainCommand implements Callable<Integer> {
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
            throw new UserError("distill train: give a CONFIG.yaml, or --resume RUN_DIR", 2, null);
        }
        ExperimentConfig<DistillConfig> cfg = ExperimentConfig.load(args.file, args.overrides, Kinds.all(), "distill",
                DistillConfig.class);
        DistillConfig c = cfg.value();
        DistillJob.validate(cfg);
        List<Path> inputs = new ArrayList<>(List.of(args.file));
        for (String f : new String[] {c.initFrom(), c.vgg19()}) {
            if (f != null) {
                inputs.add(Path.of(f));
            }
        }
        Jobs.newTrainingRun("distill", c.name(), args.runDir, run -> {
            run.writeConfig(cfg.resolvedYaml());
            run.writeProvenance(Provenance.capture(c.seed(), spec.commandLine().getParseResult().originalArgs(), inputs));
            Progress[] p = new Progress[1];
            Quiet.call(spec, () -> DistillJob.run(cfg, run, total -> p[0] = new Progress(spec.commandLine().getErr(),
                    "distill", total), done -> p[0].update(done)));
            p[0].done();
            run.log("finished");
            spec.commandLine().getOut().printf("trained -> %s (%s: 'ukiyoe translate --model'; checkpoints, "
                    + "metrics.jsonl, samples*.png)%n", run.dir(), DistillJob.STUDENT);
        });
        return 0;
    }

    private int resume() throws Exception {
        Resumes.checkArguments("distill train", args.file, args.runDir, args.resume, args.overrides, DistillJob.RESUMABLE_OVERRIDES);
        Jobs.resumedTrainingRun(args.resume, run -> {
            Map.Entry<Path, DistillCheckpoint.Contents> last = DistillJob.lastCheckpoint(run);
            ExperimentConfig<DistillConfig> cfg = Resumes.savedConfig(run, last.getKey(), last.getValue().trainConfig(),
                    args.overrides, "distill", DistillConfig.class, DistillJob.RESUMABLE_OVERRIDES, spec.commandLine().getErr());
            long done = last.getValue().state().step();
            run.log("resuming from " + last.getKey().getFileName() + " at step " + done);
            spec.commandLine().getErr().printf("resuming %s from %s (step %d)%n", args.resume, last.getKey().getFileName(), done);
            Progress[] p = new Progress[1];
            Quiet.call(spec, () -> DistillJob.resume(cfg, run, last.getValue(), total -> p[0] = new Progress(
                    spec.commandLine().getErr(), "distill", total), d -> p[0].update(d)));
            p[0].done();
            run.log("finished");
            spec.commandLine().getOut().printf("trained -> %s (%s)%n", run.dir(), DistillJob.STUDENT);
        });
        return 0;
    }
}
