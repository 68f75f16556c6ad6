package io.ukiyoe.cli;

import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.training.TrainConfig;
import io.ukiyoe.training.TrainJob;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe train}: train or fine-tune a StyleGAN2 (kind: train). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a StyleGAN2 from scratch or fine-tune one (kind: train); no resume, ADA or path length yet.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigArgs config;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default runs/train-<time>[-name]).")
    Path runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig<TrainConfig> cfg = ExperimentConfig.load(config.file, config.overrides, Kinds.all(), "train",
                TrainConfig.class);
        TrainConfig c = cfg.value();
        TrainJob.validate(cfg);
        List<Path> inputs = new ArrayList<>(List.of(config.file));
        if (c.resumeFrom() != null) {
            inputs.add(Path.of(c.resumeFrom()));
        }
        try (RunFolder run = RunFolder.create(Path.of("runs"), "train", c.name(), runDir, LocalDateTime.now())) {
            run.writeConfig(cfg.resolvedYaml());
            run.writeProvenance(Provenance.capture(c.seed(), spec.commandLine().getParseResult().originalArgs(), inputs));
            long steps = TrainJob.steps(c);
            Progress p = new Progress(spec.commandLine().getErr(), "train", steps);
            Quiet.call(spec, () -> TrainJob.run(cfg, run, p::update));
            p.done();
            run.log("finished " + steps + " steps");
            spec.commandLine().getOut().printf("trained %d steps -> %s (metrics.jsonl, fakes*.png)%n", steps,
                    run.resolve("model.safetensors"));
        }
        return 0;
    }
}
