package io.ukiyoe.core.run;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The folder one job writes into: {@code runs/<kind>-<yyyyMMdd-HHmmss>[-name]/} or an explicit
 * {@code --out}. It holds the resolved config ({@code config.yaml}), {@code provenance.json} and the
 * job's log ({@code log.txt}). An existing folder is never reused.
 */
public final class RunFolder implements Closeable {
    public static final String CONFIG = "config.yaml";
    public static final String PROVENANCE = "provenance.json";
    public static final String LOG = "log.txt";
    /** {@code {"status": "running" | "finished" | "failed", "error": ..., "updated": ...}}: what a retry or --resume needs to know. */
    public static final String STATUS = "status.json";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path dir;
    private final BufferedWriter log;
    /** Copies the logging back-end's warnings and errors into the log while the run is open. */
    private final WarningTee warnings;

    /** Whether this job made the folder itself (an empty folder the user named is emptied, never removed). */
    private final boolean madeFolder;

    private RunFolder(Path dir, boolean madeFolder) throws IOException {
        this(dir, StandardOpenOption.CREATE_NEW, madeFolder);
        status("running", null);
    }

    private RunFolder(Path dir, StandardOpenOption logMode, boolean madeFolder) throws IOException {
        this.dir = dir;
        this.madeFolder = madeFolder;
        this.log = Files.newBufferedWriter(dir.resolve(LOG), StandardCharsets.UTF_8, StandardOpenOption.CREATE, logMode);
        this.warnings = WarningTee.install(this::log);
    }

    /** An existing run folder that a job continues ({@code train --resume}); its log is appended to. */
    public static RunFolder reopen(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new UserError(dir + ": not a run folder (no " + CONFIG + ")", 2, null);
        }
        try {
            RunFolder run = new RunFolder(dir, StandardOpenOption.APPEND, false);
            run.status("running", null);
            return run;
        } catch (IOException e) {
            throw new UserError(dir + ": cannot open the run's log: " + e.getMessage(), e);
        }
    }

    /**
     * Creates a new run folder. With {@code out} that exact folder, which must not exist yet (or be
     * empty); otherwise {@code runsRoot/<kind>-<stamp>[-name]}, with {@code -2}, {@code -3}, ... added
     * if two jobs start in the same second.
     */
    public static RunFolder create(Path runsRoot, String kind, String name, Path out, LocalDateTime now) {
        return create(runsRoot, kind, name, out, "--out", now);
    }

    /** As {@link #create(Path, String, String, Path, LocalDateTime)}, naming the option that gave {@code out} in errors. */
    public static RunFolder create(Path runsRoot, String kind, String name, Path out, String outOption, LocalDateTime now) {
        try {
            if (out != null) {
                boolean existed = Files.exists(out);
                if (existed) {
                    if (!Files.isDirectory(out)) {
                        throw new UserError(out + ": is a file, not a folder (choose another " + outOption + ")", 2, null);
                    }
                    try (var s = Files.list(out)) {
                        if (s.findAny().isPresent()) {
                            throw new UserError(out + ": already exists and is not empty; run folders are never "
                                    + "overwritten (choose another " + outOption + (kind.equals("train") || kind.equals("sweep")
                                    ? ", or continue it with --resume " + out : "") + ")", 2, null);
                        }
                    }
                }
                Files.createDirectories(out);
                return new RunFolder(out, !existed);
            }
            if (name != null && !NAME.matcher(name).matches()) {
                throw new UserError("run name '" + name + "' may only use letters, digits, '.', '_' and '-'", 2, null);
            }
            String base = kind + "-" + STAMP.format(now) + (name == null || name.isEmpty() ? "" : "-" + name);
            Files.createDirectories(runsRoot);
            for (int i = 1; ; i++) {
                Path dir = runsRoot.resolve(i == 1 ? base : base + "-" + i);
                try {
                    Files.createDirectory(dir);
                    return new RunFolder(dir, true);
                } catch (FileAlreadyExistsException e) {
                    // taken by another job: try the next suffix
                }
            }
        } catch (IOException e) {
            throw io.ukiyoe.core.io.IoErrors.cannot("create the run folder", out != null ? out : runsRoot, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String file) {
        return dir.resolve(file);
    }

    public void writeConfig(String resolvedYaml) {
        write(CONFIG, resolvedYaml);
    }

    public void writeProvenance(Provenance p) {
        write(PROVENANCE, JSON.writeValueAsString(p) + "\n");
    }

    public void write(String file, String text) {
        try {
            AtomicFiles.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends a time-stamped line to the run's log. */
    public synchronized void log(String line) {
        try {
            log.write(LocalDateTime.now().withNano(0) + " " + line);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job ended well: {@code status.json} says so. */
    public void finished() {
        status("finished", null);
    }

    /**
     * The job failed. With {@code keep} (it wrote something worth keeping: a checkpoint, results) the
     * error goes to the log and {@code status.json}, so a retry or {@code --resume} knows what happened;
     * without, the folder is removed (or emptied, if the user made it) as if the job had never started.
     * Never throws: the job's own error is the one to report.
     */
    public void failed(Throwable error, boolean keep) {
        String message = error instanceof UserError ? error.getMessage() : String.valueOf(error);
        try {
            if (keep) {
                log("failed: " + message);
                status("failed", message);
                return;
            }
            close();
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (madeFolder || !p.equals(dir)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // cleaning up after a failure must not hide it
        }
    }

    /** The status recorded in a run folder, or null when it has none (a run from an older build). */
    public static String statusOf(Path dir) {
        try {
            return JSON.readTree(dir.resolve(STATUS).toFile()).path("status").asString(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void status(String state, String error) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("status", state);
        if (error != null) {
            m.put("error", error);
        }
        m.put("updated", LocalDateTime.now().withNano(0).toString());
        write(STATUS, JSON.writeValueAsString(m) + "\n");
    }

    @Override
    public void close() {
        warnings.uninstall();
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
