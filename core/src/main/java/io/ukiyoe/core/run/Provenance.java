package io.ukiyoe.core.run;

import io.ukiyoe.core.BuildInfo;
import io.ukiyoe.core.io.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where an artefact came from: versions, machine, seed and the SHA-256 of every input file. Written
 * as {@code provenance.json} in every run folder and embedded in model files.
 */
public record Provenance(
        String project,                // ukiyoe version
        String gitCommit,              // commit of the checkout that ran, null outside a git checkout
        Boolean gitDirty,              // uncommitted changes present; null when unknown
        String dl4j,                   // DL4J/ND4J version
        String backend,                // ND4J backend in use (class and BLAS)
        String backendArtifact,        // backend artifact chosen at build time
        String java,                   // Java runtime version and vendor
        String os,                     // OS name, version, architecture
        String cpu,                    // CPU model and core count
        Long seed,                     // the job's seed; null when it uses none
        List<String> command,          // the command line
        String created,                // ISO-8601 instant
        List<Input> inputs) {          // every file read, with its hash

    /** An input file and its SHA-256. */
    public record Input(String path, long bytes, String sha256) {
        public static Input of(Path p) {
            try {
                return new Input(p.toString(), Files.size(p), Hashing.sha256(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Collects the provenance of the current process. */
    public static Provenance capture(Long seed, List<String> command, List<Path> inputs) {
        List<Input> in = new ArrayList<>();
        for (Path p : inputs) {
            in.add(Input.of(p));
        }
        String[] git = git();
        return new Provenance(BuildInfo.projectVersion(), git[0], git[0] == null ? null : Boolean.valueOf(git[1]),
                BuildInfo.dl4jVersion(), loadedBackend(), BuildInfo.backendArtifact(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores",
                seed, List.copyOf(command), Instant.now().toString(), List.copyOf(in));
    }

    /** The ND4J backend actually loaded, e.g. "CpuBackend (OPENBLAS)". */
    public static String loadedBackend() {
        try {
            Map<String, Object> env = Nd4j.getExecutioner().getEnvironmentInformation().entrySet().stream()
                    .collect(Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue));
            Object blas = env.get("blas.vendor");
            return Nd4j.getBackend().getClass().getSimpleName() + (blas != null ? " (" + blas + ")" : "");
        } catch (Throwable t) {
            return "unavailable: " + t.getClass().getSimpleName();
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** {commit, dirty} of the project checkout ({@code ukiyoe.home}, else the working directory). */
    static String[] git() {
        Path home = Path.of(System.getProperty("ukiyoe.home", "."));
        String commit = run(home, "git", "rev-parse", "HEAD");
        if (commit == null) {
            return new String[] {null, null};
        }
        String status = run(home, "git", "status", "--porcelain", "--untracked-files=no");
        return new String[] {commit, status == null ? null : String.valueOf(!status.isBlank())};
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
