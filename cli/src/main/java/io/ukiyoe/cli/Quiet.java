package io.ukiyoe.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs work that makes SameDiff build gradient graphs, during which it prints a line per op to
 * System.out: stdout stays for results (the lines go to stderr with --verbose, nowhere otherwise).
 */
final class Quiet {
    private Quiet() {}

    static <T> T call(CommandSpec spec, Supplier<T> work) {
        PrintStream stdout = System.out;
        boolean verbose = spec.root().commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().originalArgs().stream()
                .anyMatch(a -> a.equals("-v") || a.equals("--verbose") || a.equals("--debug"));
        System.setOut(verbose ? System.err : new PrintStream(OutputStream.nullOutputStream()));
        try {
            return work.get();
        } finally {
            System.setOut(stdout);
        }
    }
}
