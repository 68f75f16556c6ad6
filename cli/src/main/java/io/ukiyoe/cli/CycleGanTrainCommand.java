package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.training.cyclegan.CycleGanCheckpoint;
import io.ukiyoe.training.cyclegan.CycleGanConfig;
import io.ukiyoe.training.cyclegan.CycleGanJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code ukiyoe cyclegan train}: train a CycleGAN (kind: cyclegan), or resume a run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a CycleGAN on two unpaired image sets (kind: cyclegan), or continue a run exactly "
                + "from its newest complete checkpoint (--resume RUN_DIR).")
final class CycleGanTrainCommand implements Callable<Integer> {
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
            throw new UserError("cyclegan train: give a CONFIG.yaml, or --resume RUN_DIR", 2, null);
        }
        ExperimentConfig<CycleGanConfig> cfg = ExperimentConfig.load(args.file, args.overrides, Kinds.all(), "cyclegan",
                CycleGanConfig.class);
        CycleGanConfig c = cfg.value();
        CycleGanJob.validate(cfg);
        Jobs.newTrainingRun("cyclegan", c.name(), args.runDir, run -> {
            run.writeConfig(cfg.resolvedYaml());
            run.writeProvenance(Provenance.capture(c.seed(), spec.commandLine().getParseResult().originalArgs(), List.of(args.file)));
            Progress[] p = new Progress[1];
            Quiet.call(spec, () -> CycleGanJob.run(cfg, run, total -> p[0] = new Progress(spec.commandLine().getErr(),
                    "cyclegan", total), done -> p[0].update(done)));
            p[0].done();
            run.log("finished");
            spec.commandLine().getOut().printf("trained -> %s (G_A, G_B, D_A, D_B .safetensors; checkpoints, "
                    + "metrics.jsonl, samples*.png)%n", run.dir());
        });
        return 0;
    }

    private int resume() throws Exception {
        Resumes.checkArguments("cyclegan train", args.file, args.runDir, args.resume, args.overrides, CycleGanJob.RESUMABLE_OVERRIDES);
        Jobs.resumedTrainingRun(args.resume, run -> {
            Map.Entry<Path, CycleGanCheckpoint.Contents> last = CycleGanJob.lastCheckpoint(run);
            ExperimentConfig<CycleGanConfig> cfg = Resumes.savedConfig(run, last.getKey(), last.getValue().trainConfig(),
                    args.overrides, "cyclegan", CycleGanConfig.class, CycleGanJob.RESUMABLE_OVERRIDES, spec.commandLine().getErr());
            long done = last.getValue().state().step();
            run.log("resuming from " + last.getKey().getFileName() + " at step " + done);
            spec.commandLine().getErr().printf("resuming %s from %s (step %d)%n", args.resume, last.getKey().getFileName(), done);
            Progress[] p = new Progress[1];
            Quiet.call(spec, () -> CycleGanJob.resume(cfg, run, last.getValue(), total -> p[0] = new Progress(
                    spec.commandLine().getErr(), "cyclegan", total), d -> p[0].update(d)));
            p[0].done();
            run.log("finished");
            spec.commandLine().getOut().printf("trained -> %s%n", run.dir());
        });
        return 0;
    }
}
