package io.ukiyoe.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code ukiyoe} in another JVM, so that a test can kill it for real (or let a halt hook end it). */
final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code ukiyoe ARGS} with extra {@code -D} properties; stdout and stderr go to {@code log}. */
    static Process start(Path log, List<String> jvmProps, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true"));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.addAll(jvmProps);
        cmd.addAll(List.of("-cp", cp, "io.ukiyoe.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
