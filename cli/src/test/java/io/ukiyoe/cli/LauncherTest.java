package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's build step, in isolation: {@code ./ukiyoe} sourced in a scratch copy of the project, with a
 * stand-in {@code mvn} that behaves as copy-dependencies does (it only adds the backend jar of the profile
 * it is given) and records how it was called. Nothing is built and no Java program is started.
 */
class LauncherTest {
    @TempDir
    Path root;

    private static final String FAKE_MVN = """
            #!/usr/bin/env bash
            echo "MAVEN_OPTS=${MAVEN_OPTS:-} ARGS=$*" >> "$FAKE_ROOT/mvn-calls"
            mkdir -p "$FAKE_ROOT/cli/target/lib"
            touch "$FAKE_ROOT/cli/target/ukiyoe-cli.jar"
            if [[ " $* " == *" -Pcuda "* ]]; then
              touch "$FAKE_ROOT/cli/target/lib/nd4j-cuda-11.6-1.0.0-M2.1.jar" "$FAKE_ROOT/cli/target/lib/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar"
            else
              touch "$FAKE_ROOT/cli/target/lib/nd4j-native-1.0.0-M2.1.jar" "$FAKE_ROOT/cli/target/lib/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar"
            fi
            touch "$FAKE_ROOT/cli/target/lib/nd4j-api-1.0.0-M2.1.jar"
            """;

    @Test
    void switchingTheCudaProfileNeverLeavesTwoBackends() throws Exception {
        Path launcher = Path.of(System.getProperty("ukiyoe.root", "..")).resolve("ukiyoe");
        Files.copy(launcher, root.resolve("ukiyoe"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.writeString(bin.resolve("mvn"), FAKE_MVN);
        Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(List.of("nd4j-api-1.0.0-M2.1.jar", "nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar",
                "nd4j-cuda-11.6-1.0.0-M2.1.jar"), launch("-Pcuda", null));
        assertEquals(List.of("nd4j-api-1.0.0-M2.1.jar", "nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar",
                "nd4j-native-1.0.0-M2.1.jar"), launch("", null), "back on the CPU: the CUDA jars are gone");
        assertEquals(2, calls().size());
        assertEquals(3, launch("", null).size(), "unchanged args and sources: no rebuild");
        assertEquals(2, calls().size());

        // a folder left with both backends by an older launcher is rebuilt clean even with the same args
        Files.createFile(root.resolve("cli/target/lib/nd4j-cuda-11.6-1.0.0-M2.1.jar"));
        assertEquals(3, launch("", null).size());
        assertEquals(3, calls().size());

        // MAVEN_OPTS and a custom local repository reach Maven unchanged; nothing is installed
        launch("-Pcuda -Dmaven.repo.local=" + root.resolve("m2"), "-Xmx2g -Dmaven.repo.local=/data/m2");
        String last = calls().get(calls().size() - 1);
        assertTrue(last.startsWith("MAVEN_OPTS=-Xmx2g -Dmaven.repo.local=/data/m2 "), last);
        assertTrue(last.contains("-Dmaven.repo.local=" + root.resolve("m2")), last);
        assertTrue(last.endsWith(" package"), "package, never install: " + last);
    }

    /** Sources the launcher and runs its build step; the runtime jar folder afterwards, sorted. */
    private List<String> launch(String mavenArgs, String mavenOpts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source ./ukiyoe; if stale; then build; fi")
                .directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", root.resolve("bin") + ":" + env.get("PATH"));
        env.put("FAKE_ROOT", root.toString());
        env.put("UKIYOE_MAVEN_ARGS", mavenArgs);
        if (mavenOpts == null) {
            env.remove("MAVEN_OPTS");
        } else {
            env.put("MAVEN_OPTS", mavenOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        try (Stream<Path> files = Files.list(root.resolve("cli/target/lib"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> calls() throws Exception {
        return Files.readAllLines(root.resolve("mvn-calls"));
    }
}
