package io.ukiyoe.cli;

import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.training.TrainingKinds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The config file and its {@code --set} overrides, shared by every command that takes a config. */
final class ConfigArgs {
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Experiment config (YAML).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override one setting (repeatable), e.g. --set training.batch=16. "
                    + "VALUE is YAML and is validated like the file.")
    List<String> overrides = new ArrayList<>();

    ExperimentConfig<?> load() {
        return ExperimentConfig.load(file, overrides, TrainingKinds.isTrainingSweep(file) ? TrainingKinds.trainingSweep() : Kinds.all());
    }
}
