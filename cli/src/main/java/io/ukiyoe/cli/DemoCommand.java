package io.ukiyoe.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ukiyoe demo}: the whole workflow on the shipped tiny models. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole workflow on the shipped tiny models (not available yet).")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("The demo is not available yet: it needs the tiny shipped models, which arrive with the");
        out.println("training and blending features. What works today: 'ukiyoe check CONFIG.yaml'.");
        out.println("See README.md for the roadmap.");
        out.flush();
        return 0;
    }
}
