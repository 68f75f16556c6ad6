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

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path dir;
    private final BufferedWriter log;

    private RunFolder(Path dir) throws IOException {
        this(dir, StandardOpenOption.CREATE_NEW);
    }

    private RunFolder(Path dir, StandardOpenOption logMode) throws IOException {
        this.dir = dir;
        this.log = Files.newBufferedWriter(dir.resolve(LOG), StandardCharsets.UTF_8, StandardOpenOption.CREATE, logMode);
    }

    /** An existing run folder that a job continues ({@code train --resume}); its log is appended to. */
    public static RunFolder reopen(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new UserError(dir + ": not a run folder (no " + CONFIG + ")", 2, null);
        }
        try {
            return new RunFolder(dir, StandardOpenOption.APPEND);
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
        try {
            if (out != null) {
                if (Files.exists(out)) {
                    try (var s = Files.list(out)) {
                        if (!Files.isDirectory(out) || s.findAny().isPresent()) {
                            throw new UserError(out + ": already exists and is not empty; run folders are never "
                                    + "overwritten (choose another --out)", 2, null);
                        }
                    }
                }
                Files.createDirectories(out);
                return new RunFolder(out);
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
                    return new RunFolder(dir);
                } catch (FileAlreadyExistsException e) {
                    // taken by another job: try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create run folder: " + e.getMessage(), e);
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

    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
