package io.ukiyoe.cli;

import io.ukiyoe.training.distill.DistillCheckpoint;
import io.ukiyoe.training.distill.DistillConfig;
import io.ukiyoe.training.distill.DistillJob;
import io.ukiyoe.training.distill.StudentMetrics;
import io.ukiyoe.eval.fid.TranslationMetrics;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
    static final GanTrainRuns.Trainer<DistillConfig, DistillCheckpoint.Contents> TRAINER = new GanTrainRuns.Trainer<>(
            "distill train", "distill", DistillConfig.class, DistillJob.RESUMABLE_OVERRIDES,
            DistillJob.STUDENT + " for 'ukiyoe translate --model'; checkpoints, metrics.jsonl, samples*.png",
            DistillJob::validate, DistillConfig::name, DistillConfig::seed,
            c -> Stream.of(c.initFrom(), c.vgg19()).filter(Objects::nonNull).toList(),
            DistillJob::lastCheckpoint, DistillCheckpoint.Contents::trainConfig, k -> k.state().step(),
            (cfg, run, from, total, progress) -> DistillJob.train(cfg, run, from, studentMetrics(cfg.value()), total,
                    progress));

    /** snapshots.metrics as eval's Inception metrics (training itself does not depend on eval). */
    static StudentMetrics studentMetrics(DistillConfig c) {
        if (c.snapshots().metrics().isEmpty()) {
            return StudentMetrics.NONE;
        }
        DistillConfig.Metrics m = c.metrics();
        TranslationMetrics t = new TranslationMetrics(java.nio.file.Path.of(m.inception()), m.batch(),
                c.snapshots().metrics(), m.kidSubsets(), m.kidSubsetSize());
        return t::of;
    }

    @Mixin
    TrainRunArgs args = new TrainRunArgs();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return GanTrainRuns.call(spec, args, TRAINER);
    }
}
