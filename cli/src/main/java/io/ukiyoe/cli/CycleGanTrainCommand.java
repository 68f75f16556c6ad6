package io.ukiyoe.cli;

import io.ukiyoe.training.cyclegan.CycleGanCheckpoint;
import io.ukiyoe.training.cyclegan.CycleGanConfig;
import io.ukiyoe.training.cyclegan.CycleGanJob;
import java.util.List;
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
    static final GanTrainRuns.Trainer<CycleGanConfig, CycleGanCheckpoint.Contents> TRAINER = new GanTrainRuns.Trainer<>(
            "cyclegan train", "cyclegan", CycleGanConfig.class, CycleGanJob.RESUMABLE_OVERRIDES,
            "G_A, G_B, D_A, D_B .safetensors; checkpoints, metrics.jsonl, samples*.png",
            CycleGanJob::validate, CycleGanConfig::name, CycleGanConfig::seed, c -> List.of(),
            CycleGanJob::lastCheckpoint, CycleGanCheckpoint.Contents::trainConfig, k -> k.state().step(),
            CycleGanJob::train);

    @Mixin
    TrainRunArgs args = new TrainRunArgs();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return GanTrainRuns.call(spec, args, TRAINER);
    }
}
