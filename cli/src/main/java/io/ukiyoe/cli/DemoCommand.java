package io.ukiyoe.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ukiyoe demo}: the whole workflow on the shipped tiny models. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole workflow on the shipped tiny models (not available yet: needs training).")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("The demo is not available yet: it needs two tiny models trained with 'ukiyoe train' and");
        out.println("shipped with their configs. What works today: import, generate, discriminate, inspect, export,");
        out.println("blend, video, sweep, eval, data (synth, prepare, align, read), train (basic) and grads; see README.md.");
        out.flush();
        return 0;
    }
}
