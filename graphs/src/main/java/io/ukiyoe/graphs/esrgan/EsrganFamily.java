package io.ukiyoe.graphs.esrgan;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NamedFamily;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ESRGAN generators ({@code RRDBNet} x4) as {@code ukiyoe.esrgan} model files: from state dicts in the
 * original ESRGAN naming or the BasicSR / Real-ESRGAN naming (wrappers {@code params_ema} / {@code params}
 * are unwrapped by {@link StateDicts}), with nf, nb and gc inferred from the shapes.
 */
public final class EsrganFamily extends NamedFamily {
    public static final String FORMAT = "ukiyoe.esrgan";
    public static final String VERSION = "1";
    public static final EsrganFamily INSTANCE = new EsrganFamily();

    private EsrganFamily() {
        super(FORMAT, VERSION, "ESRGAN generator");
    }

    /** A first conv and a trunk of RRDB blocks, in either naming. */
    @Override
    public boolean recognises(Map<String, Tensor> stateDict) {
        return stateDict.containsKey("conv_first.weight") && stateDict.keySet().stream()
                .anyMatch(k -> k.startsWith("RRDB_trunk.") || k.startsWith("body.0.rdb"));
    }

    @Override
    public NetworkFile fromStateDict(Map<String, Tensor> stateDict) {
        EsrganNames.Naming naming = EsrganNames.namingOf(stateDict.keySet());
        LinkedHashMap<String, Tensor> original = new LinkedHashMap<>();
        for (var e : stateDict.entrySet()) {
            String key = EsrganNames.toOriginal(e.getKey());
            if (original.put(key, e.getValue()) != null) {
                throw new IllegalArgumentException("state dict has '" + e.getKey() + "' in both ESRGAN namings");
            }
        }
        EsrganConfig config = infer(original, naming);
        LinkedHashMap<String, Tensor> tensors = checked(config, original, naming);
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("source_naming", naming == EsrganNames.Naming.BASICSR ? "BasicSR / Real-ESRGAN" : "original ESRGAN");
        return new NetworkFile(FORMAT, VERSION, config.toJson(), tensors, meta);
    }

    @Override
    public String describe(NetworkFile file) {
        EsrganConfig c = EsrganConfig.fromJson(file.configJson());
        long params = file.tensors().values().stream().mapToLong(Tensor::numel).sum();
        return String.format(Locale.ROOT, "ESRGAN %s, %,d params", c.describe(), params);
    }

    /**
     * An ESRGAN generator from a {@code ukiyoe.esrgan} model file, a safetensors state dict or a torch
     * {@code .pth} in either naming; one-line {@link UserError}s for anything else.
     */
    public static NetworkFile load(Path file) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            String format = NetworkFile.formatOf(file);
            if (format == null) { // another tool's safetensors state dict
                var raw = io.ukiyoe.graphs.model.Safetensors.read(file).tensors();
                return Pickles.orFail(file, () -> INSTANCE.fromStateDict(raw));
            }
            NetworkFile f = NetworkFile.read(file, FORMAT, VERSION);
            Pickles.orFail(file, () -> checkedFile(f));
            return f;
        }
        Map<String, Tensor> stateDict = StateDicts.load(file);
        if (!INSTANCE.recognises(stateDict)) {
            throw new UserError(file + ": not an ESRGAN generator state dict (no conv_first.weight with RRDB_trunk.* or "
                    + "body.*.rdb* keys; first keys: " + String.join(", ", stateDict.keySet().stream().limit(3).toList()) + ")");
        }
        return Pickles.orFail(file, () -> INSTANCE.fromStateDict(stateDict));
    }

    /**
     * A model file of {@code config} with random weights in PyTorch's default conv initialisation (weights and
     * biases uniform in +-1/sqrt(fan_in)), for benchmarks and tests; the same seed gives the same weights.
     */
    public static NetworkFile random(EsrganConfig config, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        long fanIn = 0;
        for (var e : EsrganNames.expected(config).entrySet()) {
            long[] shape = e.getValue();
            if (shape.length == 4) {
                fanIn = shape[1] * shape[2] * shape[3];   // the bias that follows shares its weight's fan-in
            }
            float bound = (float) (1 / Math.sqrt(fanIn));
            float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
            for (int i = 0; i < v.length; i++) {
                v[i] = (rng.nextFloat() * 2 - 1) * bound;
            }
            tensors.put(StateDicts.canonical(e.getKey()), new Tensor(shape, v));
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "random weights, seed " + seed);
        return new NetworkFile(FORMAT, VERSION, config.toJson(), tensors, meta);
    }

    /** The config of a model file, its tensors checked against it. */
    public static EsrganConfig checkedFile(NetworkFile f) {
        EsrganConfig config = EsrganConfig.fromJson(f.configJson());
        LinkedHashMap<String, Tensor> dotted = new LinkedHashMap<>();
        f.tensors().forEach((k, v) -> dotted.put(k.replace('/', '.'), v));
        checked(config, dotted, EsrganNames.Naming.ORIGINAL);
        return config;
    }

    private static EsrganConfig infer(Map<String, Tensor> t, EsrganNames.Naming naming) {
        long[] first = shape(t, "conv_first.weight", naming);
        long[] last = shape(t, "conv_last.weight", naming);
        long[] grow = shape(t, EsrganNames.dense(0, 1, 1) + ".weight", naming);
        if (first.length != 4 || last.length != 4 || grow.length != 4) {
            throw new IllegalArgumentException("conv weights must be [out, in, 3, 3]: conv_first "
                    + Arrays.toString(first) + ", conv_last " + Arrays.toString(last) + ", first dense conv " + Arrays.toString(grow));
        }
        int nb = t.keySet().stream().mapToInt(EsrganNames::blockIndex).max().orElse(-1) + 1;
        if (nb > 10_000) {
            throw new IllegalArgumentException("RRDB block index out of range");
        }
        return new EsrganConfig((int) first[1], (int) last[0], (int) first[0], nb, (int) grow[0]);
    }

    private static long[] shape(Map<String, Tensor> t, String originalKey, EsrganNames.Naming naming) {
        Tensor v = t.get(originalKey);
        if (v == null) {
            throw new IllegalArgumentException("missing tensor '" + EsrganNames.spelled(originalKey, naming) + "'");
        }
        return v.shape();
    }

    /** The tensors of {@code config} under canonical names, every one present with its shape and nothing else. */
    private static LinkedHashMap<String, Tensor> checked(EsrganConfig config, Map<String, Tensor> original,
                                                         EsrganNames.Naming naming) {
        LinkedHashMap<String, long[]> expected = EsrganNames.expected(config);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : expected.entrySet()) {
            Tensor v = original.get(e.getKey());
            String name = EsrganNames.spelled(e.getKey(), naming);
            if (v == null) {
                throw new IllegalArgumentException("missing tensor '" + name + "' of " + config.describe());
            }
            if (!Arrays.equals(v.shape(), e.getValue())) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(v.shape())
                        + ", expected " + Arrays.toString(e.getValue()) + " for " + config.describe());
            }
            for (float x : v.data()) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("tensor '" + name + "' holds NaN or infinite values");
                }
            }
            out.put(StateDicts.canonical(e.getKey()), v);
        }
        for (String k : original.keySet()) {
            if (!expected.containsKey(k)) {
                throw new IllegalArgumentException("unexpected tensor '" + EsrganNames.spelled(k, naming) + "' for "
                        + config.describe());
            }
        }
        return out;
    }
}
