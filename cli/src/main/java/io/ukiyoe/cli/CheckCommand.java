package io.ukiyoe.cli;

import io.ukiyoe.core.config.ExperimentConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ukiyoe check}: validate a config without running it. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate an experiment config (any kind) without running it.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigArgs config;

    @Option(names = "--print", description = "Also print the resolved config, every default filled in.")
    boolean print;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig<?> c = config.load();
        int total = c.settingsResolved();
        var out = spec.commandLine().getOut();
        out.printf("%s: valid '%s' config (%d settings, %d from defaults)%n", config.file, c.kind(), total,
                Math.max(0, total - c.settingsInFile() - config.overrides.size()));
        if (print) {
            out.print(c.resolvedYaml());
        }
        out.flush();
        return 0;
    }
}
