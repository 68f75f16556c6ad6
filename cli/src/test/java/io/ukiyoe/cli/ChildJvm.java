package io.ukiyoe.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code ukiyoe} in another JVM, so that a test can kill it for real (or let a halt hook end it). */
final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code ukiyoe ARGS}; stdout and stderr go to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, "io.ukiyoe.cli.Main", List.of(args));
    }

    /**
     * Starts {@code ukiyoe ARGS} whose {@code checkpoint}-th checkpoint write stops the JVM half-way through
     * its bytes (exit 137, as a kill -9 leaves it).
     */
    static Process startHaltingInCheckpoint(Path log, int checkpoint, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(Integer.toString(checkpoint)));
        all.addAll(List.of(args));
        return start(log, "io.ukiyoe.training.HaltingCheckpoints", all);
    }

    private static Process start(Path log, String mainClass, List<String> args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true"));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.addAll(List.of("-cp", cp, mainClass));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
