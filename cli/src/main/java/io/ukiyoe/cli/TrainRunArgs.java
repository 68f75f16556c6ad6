package io.ukiyoe.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What a training command takes: a config to start a run from, or a run folder to resume (ukiyoe train, ukiyoe cyclegan train). */
final class TrainRunArgs {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "Experiment config (YAML).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override one setting (repeatable), e.g. --set training.batch=16. With --resume only settings "
                    + "that leave the steps already taken unchanged (the error lists them).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default runs/<kind>-<time>[-name]).")
    Path runDir;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue this run from its newest complete checkpoint, in the same folder.")
    Path resume;
}
