package io.ukiyoe.graphs.pickle;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch state dicts ({@code torch.save(net.state_dict(), f)}, zip or legacy format) as canonical
 * tensors: what pix2pixHD, CycleGAN, ESRGAN, Inception, VGG and MTCNN weights come as. Read with the
 * same safety as StyleGAN2 checkpoints (allowlisted unpickling, bounds checks, one-line errors).
 */
public final class StateDicts {
    /** Keys under which training frameworks wrap a state dict (BasicSR, Lightning, plain checkpoints), in order of preference. */
    public static final List<String> WRAPPERS = List.of("params_ema", "params", "state_dict", "model", "net");

    private StateDicts() {}

    /**
     * The state dict in a file: the root map, or the map under the first of {@link #WRAPPERS} present.
     * Keys keep their order; a DataParallel {@code module.} prefix is dropped; every value must be a tensor
     * (integer buffers such as {@code num_batches_tracked} come back as float32 too).
     */
    public static LinkedHashMap<String, Tensor> load(Path file) {
        Pickles.Loaded loaded = Pickles.load(file);
        if (loaded.container() == Pickles.Container.PICKLE) {
            throw new UserError(file + ": a plain pickle, not a torch.save state dict (.pth/.pt)");
        }
        return Pickles.orFail(file, () -> fromRoot(loaded.root()));
    }

    /** The state dict inside an unpickled root object (see {@link #load}). */
    public static LinkedHashMap<String, Tensor> fromRoot(Object root) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("not a state dict (the file holds a "
                    + (root == null ? "None" : root.getClass().getSimpleName()) + ", not a dict of tensors)");
        }
        Map<?, ?> dict = top;
        for (String w : WRAPPERS) {
            if (top.get(w) instanceof Map<?, ?> inner) {
                dict = inner;
                break;
            }
        }
        if (dict.isEmpty()) {
            throw new IllegalArgumentException("empty state dict");
        }
        boolean allPrefixed = dict.keySet().stream().allMatch(k -> String.valueOf(k).startsWith("module."));
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : dict.entrySet()) {
            String key = String.valueOf(e.getKey());
            Tensor t = Pickles.tensor(key, e.getValue());
            out.put(allPrefixed ? key.substring("module.".length()) : key, t);
        }
        return out;
    }

    /** The state-dict key {@code a.b.0.weight} as a canonical tensor name {@code a/b/0/weight}. */
    public static String canonical(String key) {
        return key.replace('.', '/');
    }

    /** Every key of a state dict as a canonical name ({@link #canonical}), in order. */
    public static LinkedHashMap<String, Tensor> canonical(Map<String, Tensor> stateDict) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> out.put(canonical(k), v));
        return out;
    }
}
