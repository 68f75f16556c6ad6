package io.ukiyoe.training;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.graphs.model.CheckpointLayout;
import io.ukiyoe.graphs.model.Safetensors;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A training checkpoint: one safetensors file ({@code checkpoint-<step>.safetensors}, format
 * {@value #FORMAT} v{@value #FORMAT_VERSION}) with G, G_ema and D (prefixes {@code G/}, {@code G_ema/},
 * {@code D/} before the canonical names), both Adam states ({@code adam_G.m/}, {@code adam_G.v/},
 * {@code adam_D.m/}, {@code adam_D.v/}), and in its metadata the model config, step, optimiser step
 * counts, the random stream, the data loader's position, ADA p, the path-length mean and the run's
 * resolved config. Written to a temporary file, flushed to disk, then renamed: a file under the final
 * name is always complete, and a run killed at any moment leaves at worst a stray temporary file.
 */
public final class Checkpoint {
    public static final String FORMAT = CheckpointLayout.STYLEGAN2_FORMAT;
    public static final String FORMAT_VERSION = CheckpointLayout.STYLEGAN2_VERSION;
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{8})\\.safetensors");

    /**
     * The kill -9 tests' seam (package-private, set by a test entry point in this package): the N-th
     * checkpoint this process writes stops the JVM (as {@code kill -9} would: no clean-up) half-way through
     * its bytes; 0, the default, never.
     */
    static int haltInWrite;
    private static int written;

    /** What a checkpoint holds besides the trainer's state. */
    public record Contents(StyleGanConfig config, TrainerCore.State state, BatchLoader.Position loader, String trainConfig) {}

    private Checkpoint() {}

    public static String fileName(long step) {
        return String.format("checkpoint-%08d.safetensors", step);
    }

    public static void write(Path file, StyleGanConfig config, TrainerCore.State st, BatchLoader.Position loader,
                             String trainConfig) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        CheckpointLayout.put(tensors, CheckpointLayout.G, st.g());
        CheckpointLayout.put(tensors, CheckpointLayout.G_EMA, st.gEma());
        CheckpointLayout.put(tensors, CheckpointLayout.D, st.d());
        moments(tensors, "adam_G", st.adamG(), st.g());
        moments(tensors, "adam_D", st.adamD(), st.d());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", FORMAT_VERSION);
        meta.put("config", StyleGanModel.configJson(config));
        meta.put("step", Long.toString(st.step()));
        meta.put("adam_G_steps", Long.toString(st.adamG().steps()));
        meta.put("adam_D_steps", Long.toString(st.adamD().steps()));
        meta.put("random", Base64.getEncoder().encodeToString(st.random()));
        meta.put("loader_epoch", Long.toString(loader.epoch()));
        meta.put("loader_index", Integer.toString(loader.index()));
        meta.put("ada_p", Double.toString(st.adaP()));
        meta.put("ada_sign_sum", Double.toString(st.adaSignSum()));
        meta.put("ada_sign_count", Long.toString(st.adaSignCount()));
        meta.put("pl_mean", Double.toString(st.plMean()));
        meta.put("train_config", trainConfig);
        writeFile(file, tensors, meta);
    }

    /**
     * Writes any run's checkpoint file (tensors and metadata) atomically, honouring the kill -9 tests' seam
     * ({@link #haltInWrite}):
     * the StyleGAN2 trainer's and the CycleGAN trainer's checkpoints both go through here.
     */
    public static void writeFile(Path file, Map<String, Tensor> tensors, Map<String, String> meta) {
        boolean halt = haltInWrite == ++written;
        try {
            AtomicFiles.write(file, out -> Safetensors.writeTo(halt ? haltHalfway(out, tensors) : out, tensors, meta));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds an optimiser's moments under {@code prefix.m/} and {@code prefix.v/}, shaped as their parameters. */
    public static void moments(Map<String, Tensor> out, String prefix, Adam.State a, Map<String, Tensor> params) {
        a.m().forEach((k, m) -> out.put(prefix + ".m/" + k, new Tensor(params.get(k).shape(), m)));
        a.v().forEach((k, v) -> out.put(prefix + ".v/" + k, new Tensor(params.get(k).shape(), v)));
    }

    private static OutputStream haltHalfway(OutputStream out, Map<String, Tensor> tensors) {
        long half = tensors.values().stream().mapToLong(Tensor::numel).sum() * 2;
        return new FilterOutputStream(out) {
            long n;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                n += len;
                if (n >= half) {
                    out.flush();
                    Runtime.getRuntime().halt(137);
                }
            }
        };
    }

    /** Reads and checks a checkpoint; any problem is a one-line error naming the file. */
    public static Contents read(Path file) {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new UserError(file + ": not a ukiyoe training checkpoint (metadata format is " + meta.get("format") + ")");
        }
        if (!FORMAT_VERSION.equals(meta.get("format_version"))) {
            throw new UserError(file + ": checkpoint format version " + meta.get("format_version")
                    + " is not supported (this build reads " + FORMAT_VERSION + ")");
        }
        try {
            StyleGanConfig config = StyleGanModel.parseConfig(meta.get("config"));
            Map<String, Tensor> g = CheckpointLayout.section(c.tensors(), CheckpointLayout.G);
            Map<String, Tensor> gEma = CheckpointLayout.section(c.tensors(), CheckpointLayout.G_EMA);
            Map<String, Tensor> d = CheckpointLayout.section(c.tensors(), CheckpointLayout.D);
            Map<String, Tensor> all = new LinkedHashMap<>(g);
            all.putAll(d);
            List<String> problems = StyleGanModel.validate(config, all);
            problems.addAll(StyleGanModel.validate(config, gEma));
            if (!problems.isEmpty()) {
                throw new UserError(file + ": tensors do not match the model config: " + String.join("; ", problems));
            }
            Adam.State adamG = adam(c.tensors(), "adam_G", Long.parseLong(meta.get("adam_G_steps")));
            Adam.State adamD = adam(c.tensors(), "adam_D", Long.parseLong(meta.get("adam_D_steps")));
            TrainerCore.State st = new TrainerCore.State(Long.parseLong(meta.get("step")), g, gEma, d, adamG, adamD,
                    Base64.getDecoder().decode(meta.get("random")), Double.parseDouble(meta.get("ada_p")),
                    Double.parseDouble(meta.get("ada_sign_sum")), Long.parseLong(meta.get("ada_sign_count")),
                    Double.parseDouble(meta.get("pl_mean")));
            BatchLoader.Position pos = new BatchLoader.Position(Long.parseLong(meta.get("loader_epoch")),
                    Integer.parseInt(meta.get("loader_index")));
            String trainConfig = meta.get("train_config");
            if (trainConfig == null) {
                throw new IllegalArgumentException("train_config missing");
            }
            return new Contents(config, st, pos, trainConfig);
        } catch (RuntimeException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError(file + ": damaged checkpoint metadata (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
    }

    /**
     * Reads another trainer's checkpoint: checks its format tag ({@code what} names it in the error) and
     * version, then lets {@code body} take it apart; anything {@code body} throws but a {@link UserError}
     * becomes one line naming the file as damaged.
     */
    public static <T> T readChecked(Path file, String format, String version, String what,
                                    Function<Safetensors.Contents, T> body) {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!format.equals(meta.get("format"))) {
            throw new UserError(file + ": not a ukiyoe " + what + " (metadata format is " + meta.get("format") + ")");
        }
        if (!version.equals(meta.get("format_version"))) {
            throw new UserError(file + ": checkpoint format version " + meta.get("format_version")
                    + " is not supported (this build reads " + version + ")");
        }
        try {
            return body.apply(c);
        } catch (RuntimeException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError(file + ": damaged checkpoint (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** The metadata every GAN trainer's checkpoint starts with: format, version, step, both optimisers' step counts, the random stream. */
    public static Map<String, String> ganMetadata(String format, String version, long step, Adam.State adamG, Adam.State adamD,
                                                  byte[] random) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", format);
        meta.put("format_version", version);
        meta.put("step", Long.toString(step));
        meta.put("adam_G_steps", Long.toString(adamG.steps()));
        meta.put("adam_D_steps", Long.toString(adamD.steps()));
        meta.put("random", Base64.getEncoder().encodeToString(random));
        return meta;
    }

    /** A metadata entry that must be there. */
    public static String required(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " missing");
        }
        return v;
    }

    /** A loader position as {@link #position(BatchLoader.Position)} wrote it ({@code epoch:index}). */
    public static BatchLoader.Position position(String s) {
        String[] p = s.split(":");
        return new BatchLoader.Position(Long.parseLong(p[0]), Integer.parseInt(p[1]));
    }

    public static String position(BatchLoader.Position p) {
        return p.epoch() + ":" + p.index();
    }

    /** An optimiser state saved by {@link #moments}. */
    public static Adam.State adam(Map<String, Tensor> all, String prefix, long steps) {
        Function<Map<String, Tensor>, Map<String, float[]>> data = m -> {
            Map<String, float[]> out = new LinkedHashMap<>();
            m.forEach((k, t) -> out.put(k, t.data()));
            return out;
        };
        return new Adam.State(steps, data.apply(CheckpointLayout.section(all, prefix + ".m/")),
                data.apply(CheckpointLayout.section(all, prefix + ".v/")));
    }

    /** Checkpoints of a run folder, newest first. */
    public static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list checkpoints: " + e.getMessage());
        }
        out.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return out;
    }

    /**
     * The newest checkpoint that reads back whole, with a note for each newer one that does not (which a
     * rename-into-place write cannot leave, but a disk can).
     */
    public static Optional<Map.Entry<Path, Contents>> latest(Path dir, java.util.function.Consumer<String> warn) {
        return latest(dir, Checkpoint::read, warn);
    }

    /** {@link #latest} for checkpoints of another trainer, read by {@code reader} (which throws {@link UserError}). */
    public static <T> Optional<Map.Entry<Path, T>> latest(Path dir, Function<Path, T> reader,
                                                          java.util.function.Consumer<String> warn) {
        for (Path p : list(dir)) {
            try {
                return Optional.of(Map.entry(p, reader.apply(p)));
            } catch (UserError e) {
                warn.accept("skipping " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public static void prune(Path dir, int keep) {
        List<Path> all = list(dir);
        for (int i = keep; i < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
