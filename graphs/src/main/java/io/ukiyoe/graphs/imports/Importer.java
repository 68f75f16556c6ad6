package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.CheckpointLayout;
import io.ukiyoe.graphs.model.Architecture;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.NetworkFamilies;
import io.ukiyoe.graphs.model.NetworkFamily;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.model.Safetensors;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pickle.PyObject;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts public StyleGAN2 checkpoints to a {@link StyleGanModel} under the canonical names:
 * rosinality {@code .pt} (zip and legacy torch.save), stylegan2-ada / stylegan3 snapshot
 * {@code .pkl}, the official TensorFlow {@code .pkl}, and safetensors files.
 */
public final class Importer {
    /** Source formats; AUTO looks at the file. */
    public enum Format { AUTO, ROSINALITY, ADA_PKL, TF_PKL, SAFETENSORS }

    private Importer() {}

    public static Format parseFormat(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "auto" -> Format.AUTO;
            case "rosinality" -> Format.ROSINALITY;
            case "ada-pkl" -> Format.ADA_PKL;
            case "tf-pkl" -> Format.TF_PKL;
            case "safetensors" -> Format.SAFETENSORS;
            default -> throw new UserError("--format: unknown format '" + s
                    + "' (valid: auto, rosinality, ada-pkl, tf-pkl, safetensors)", 2, null);
        };
    }

    /** What an import produced: a StyleGAN2 model, or (from a torch state dict of another network) its file. */
    public record Imported(StyleGanModel styleGan, NetworkFile network) {}

    /** A StyleGAN2 checkpoint as a model; any other network is a one-line error saying what it is. */
    public static StyleGanModel importFile(Path src, Format format) {
        Imported i = importAny(src, format);
        if (i.network() != null) {
            throw new UserError(src + ": a " + NetworkFamilies.forFormat(i.network().format()).orElseThrow().displayName()
                    + ", not a StyleGAN2 checkpoint");
        }
        return i.styleGan();
    }

    /**
     * Any checkpoint ukiyoe imports: StyleGAN2 in every format {@link Format} names, or a torch state dict
     * of a registered {@link NetworkFamily} (with {@code --format auto}).
     */
    public static Imported importAny(Path src, Format format) {
        if (io.ukiyoe.graphs.mtcnn.MtcnnWeights.isFolder(src)) {     // facenet-pytorch's three files
            return new Imported(null, io.ukiyoe.graphs.mtcnn.MtcnnFamily.importFolder(src));
        }
        if (Files.isDirectory(src)) {
            throw new UserError(src + ": is a folder; give the checkpoint file itself");
        }
        if (!Files.isRegularFile(src)) {
            throw new UserError(src + ": no such file");
        }
        if (format == Format.SAFETENSORS || (format == Format.AUTO && looksLikeSafetensors(src))) {
            return new Imported(fromSafetensors(src), null);
        }
        // hash on the second core while the first parses: the digest goes into the model's metadata
        java.util.concurrent.CompletableFuture<String> sha = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Hashing.sha256(src));
        Pickles.Loaded loaded = Pickles.load(src);
        if (format == Format.AUTO && loaded.container() != Pickles.Container.PICKLE
                && loaded.root() instanceof Map<?, ?> root && !root.containsKey("g_ema")) {
            return new Imported(null, otherNetwork(src, loaded, sha.join()));
        }
        Format detected = switch (loaded.container()) {
            case TORCH_ZIP, TORCH_LEGACY -> Format.ROSINALITY;
            case PICKLE -> loaded.root() instanceof Map<?, ?> ? Format.ADA_PKL : Format.TF_PKL;
        };
        if (format != Format.AUTO && format != detected) {
            throw new UserError(src + ": --format " + name(format) + " given, but the file looks like "
                    + name(detected));
        }
        String source = src.getFileName() + " (" + name(detected) + ", " + loaded.container().name().toLowerCase(Locale.ROOT)
                .replace('_', ' ') + ")";
        Converted c = Pickles.orFail(src, () -> switch (detected) {
            case ROSINALITY -> Rosinality.convert(loaded.root());
            case ADA_PKL -> Ada.convert(loaded.root());
            case TF_PKL -> TfPkl.convert(loaded.root());
            default -> throw new IllegalStateException();
        });
        return new Imported(build(src, c, source, sha.join()), null);
    }

    private static NetworkFile otherNetwork(Path src, Pickles.Loaded loaded, String sha256) {
        Map<String, Tensor> stateDict = Pickles.orFail(src, () -> StateDicts.fromRoot(loaded.root()));
        NetworkFamily family = NetworkFamilies.forStateDict(src, stateDict);
        NetworkFile f = Pickles.orFail(src, () -> family.fromStateDict(stateDict));
        f.metadata().put("imported_from", src.getFileName() + " (" + family.displayName() + " state dict)");
        f.metadata().put("imported_sha256", sha256);
        return f;
    }

    static String name(Format f) {
        return f.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Canonical tensors plus what the file said about the architecture (null = infer). */
    record Converted(Map<String, Tensor> tensors, StyleGanConfig config, Double convClamp, int mbstdGroup,
                     int mbstdChannels, double mappingLrMul) {}

    private static StyleGanModel build(Path src, Converted c, String source, String sha256) {
        StyleGanConfig config;
        try {
            config = c.config() != null ? c.config()
                    : Architecture.infer(c.tensors(), c.convClamp(), c.mbstdGroup(), c.mbstdChannels(), c.mappingLrMul());
        } catch (IllegalArgumentException e) {
            throw new UserError(src + ": " + e.getMessage(), e);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        if (!tensors.containsKey(Names.W_AVG)) {
            tensors.put(Names.W_AVG, MappingMath.meanW(config, tensors, 4096, 123));
        }
        List<String> problems = StyleGanModel.validate(config, tensors);
        if (!problems.isEmpty()) {
            throw new UserError(src + ": the checkpoint does not form a StyleGAN2 the importer understands: "
                    + String.join("; ", problems.subList(0, Math.min(problems.size(), 5)))
                    + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("imported_from", source);
        meta.put("imported_sha256", sha256);
        return new StyleGanModel(config, StyleGanModel.canonicalOrder(config, tensors), meta);
    }

    public static boolean looksLikeSafetensors(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(9);
            if (b.length < 9) {
                return false;
            }
            long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            return n > 0 && n < Files.size(p) && b[8] == '{';
        } catch (IOException e) {
            return false;
        }
    }

    private static StyleGanModel trainCheckpoint(Path src, Safetensors.Contents c) {
        StyleGanConfig config;
        try {
            config = StyleGanModel.parseConfig(c.metadata().get("config"));
        } catch (RuntimeException e) {
            throw new UserError(src + ": invalid model config in checkpoint metadata: " + e.getMessage());
        }
        Map<String, Tensor> t = CheckpointLayout.section(c.tensors(), CheckpointLayout.G_EMA);
        t.putAll(CheckpointLayout.section(c.tensors(), CheckpointLayout.D));
        java.util.List<String> problems = StyleGanModel.validate(config, t);
        if (!problems.isEmpty()) {
            throw new UserError(src + ": checkpoint tensors do not match its config: " + String.join("; ", problems));
        }
        return new StyleGanModel(config, t, Map.of("source", "G_ema and D of training checkpoint " + src.getFileName()
                + " (step " + c.metadata().get("step") + ")"));
    }

    /** A safetensors file: a ukiyoe model file as is, or a raw state dict in canonical, ada or rosinality names. */
    private static StyleGanModel fromSafetensors(Path src) {
        Safetensors.Contents c = Safetensors.read(src);
        if (StyleGanModel.FORMAT.equals(c.metadata().get("format"))) {
            return StyleGanModel.read(src);
        }
        if (CheckpointLayout.STYLEGAN2_FORMAT.equals(c.metadata().get("format"))) { // ukiyoe train's checkpoint: G_ema and D
            return trainCheckpoint(src, c);
        }
        Map<String, Tensor> t = c.tensors();
        Converted conv;
        if (t.keySet().stream().anyMatch(Names::isMapping)) {
            conv = new Converted(t, null, null, 4, 1, 0.01);
        } else if (t.keySet().stream().anyMatch(k -> k.startsWith("style."))) {
            conv = Pickles.orFail(src, () -> Rosinality.convert(Map.of("g_ema", t)));
        } else if (t.keySet().stream().anyMatch(k -> k.startsWith("mapping.") || k.startsWith("synthesis."))) {
            conv = Pickles.orFail(src, () -> Ada.fromStateDicts(t, Map.of(), null, 4, 1, 0.01));
        } else {
            throw new UserError(src + ": safetensors file without StyleGAN2 tensors (no mapping network found)");
        }
        return build(src, conv, src.getFileName() + " (safetensors state dict)", Hashing.sha256(src));
    }

    /**
     * rosinality state-dict tensors (g_ema and/or d, e.g. gradients keyed like the parameters) under
     * canonical names; no architecture check, derived FIR filters dropped.
     */
    public static Map<String, Tensor> rosinalityToCanonical(Map<String, Tensor> gEma, Map<String, Tensor> d) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("g_ema", gEma);
        if (d != null) {
            root.put("d", d);
        }
        return Rosinality.convert(root).tensors();
    }

    // ---- shared helpers --------------------------------------------------------------------------

    static final Pattern RES = Pattern.compile("b(\\d+)");

    static int res(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Drops leading size-1 dimensions until the tensor has {@code rank} dimensions. */
    static Tensor squeezeTo(Tensor t, int rank) {
        long[] s = t.shape();
        int drop = s.length - rank;
        for (int i = 0; i < drop; i++) {
            if (s[i] != 1) {
                throw new IllegalArgumentException("cannot squeeze " + t.shapeString() + " to rank " + rank);
            }
        }
        return drop <= 0 ? t : t.reshape(java.util.Arrays.copyOfRange(s, drop, s.length));
    }
}
