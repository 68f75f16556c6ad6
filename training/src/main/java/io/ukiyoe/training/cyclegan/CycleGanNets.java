package io.ukiyoe.training.cyclegan;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.cyclegan.NormalInit;
import io.ukiyoe.graphs.cyclegan.PatchDiscriminatorConfig;
import io.ukiyoe.graphs.model.Safetensors;
import io.ukiyoe.graphs.pickle.StateDicts;
import io.ukiyoe.graphs.pix2pixhd.GlobalGeneratorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The four networks of a CycleGAN: generators G_A (A -> B) and G_B (B -> A), each a ResnetGenerator
 * (pix2pixHD's GlobalGenerator with {@code n_downsampling} 2), and discriminators D_A (judges domain B)
 * and D_B (judges domain A), each an NLayerDiscriminator. Tensors under canonical names
 * ({@code model/1/weight}); both generators share one architecture, both discriminators another.
 */
public record CycleGanNets(GlobalGeneratorConfig g, PatchDiscriminatorConfig d, Map<Net, Map<String, Tensor>> tensors) {
    /** The networks, named as CycleGANModel names them. */
    public enum Net {
        G_A, G_B, D_A, D_B;

        public boolean generator() {
            return this == G_A || this == G_B;
        }

        /** Graph scope and checkpoint prefix: {@code G_A/}. */
        public String scope() {
            return name() + "/";
        }

        /** Command-line spelling: {@code g-a}. */
        public String option() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public CycleGanNets {
        EnumMap<Net, Map<String, Tensor>> m = new EnumMap<>(Net.class);
        for (Net n : Net.values()) {
            Map<String, Tensor> t = tensors.get(n);
            if (t == null) {
                throw new IllegalArgumentException("missing network " + n);
            }
            m.put(n, t);
        }
        tensors = m;
    }

    public Map<String, Tensor> get(Net n) {
        return tensors.get(n);
    }

    /** The four networks from their tensors; architectures inferred and checked (one-line errors naming the net). */
    public static CycleGanNets of(Map<Net, Map<String, Tensor>> tensors) {
        GlobalGeneratorConfig g = null;
        PatchDiscriminatorConfig d = null;
        for (Net n : Net.values()) {
            Map<String, Tensor> t = tensors.get(n);
            try {
                if (n.generator()) {
                    GlobalGeneratorConfig c = GlobalGeneratorConfig.infer(t, "model/", n.name());
                    if (c.nDownsampling() != 2 || !c.head()) {
                        throw new IllegalArgumentException(n + ": not a CycleGAN ResnetGenerator (" + c.describe()
                                + "; CycleGAN's has 2 downsamplings)");
                    }
                    if (g != null && !g.equals(c)) {
                        throw new IllegalArgumentException(n + " (" + c.describe() + ") differs from G_A (" + g.describe() + ")");
                    }
                    g = c;
                } else {
                    PatchDiscriminatorConfig c = PatchDiscriminatorConfig.infer(t);
                    if (d != null && !d.equals(c)) {
                        throw new IllegalArgumentException(n + " (" + c.toJson() + ") differs from D_A (" + d.toJson() + ")");
                    }
                    d = c;
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(n.name()) ? e.getMessage()
                        : n + ": " + e.getMessage());
            }
        }
        if (g.inputNc() != g.outputNc() || g.inputNc() != d.inputNc()) {
            throw new IllegalArgumentException("the generators map " + g.inputNc() + " to " + g.outputNc()
                    + " channels and the discriminators take " + d.inputNc() + ": a CycleGAN needs one channel count");
        }
        // state-dict order (a pickled dict need not keep it): gradient files list keys as torch does
        Map<Net, Map<String, Tensor>> ordered = new EnumMap<>(Net.class);
        for (Net n : Net.values()) {
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            for (String k : (n.generator() ? g.expectedShapes("model/") : d.shapes()).keySet()) {
                m.put(k, tensors.get(n).get(k));
            }
            ordered.put(n, m);
        }
        return new CycleGanNets(g, d, ordered);
    }

    /** Fresh networks as CycleGAN initialises them (N(0, 0.02) weights, zero biases), one seed per net. */
    public static CycleGanNets init(GlobalGeneratorConfig g, PatchDiscriminatorConfig d, long seed) {
        Map<Net, Map<String, Tensor>> t = new EnumMap<>(Net.class);
        for (Net n : Net.values()) {
            long s = seed * 31 + n.ordinal() + 1;
            t.put(n, NormalInit.init(n.generator() ? g.expectedShapes("model/") : d.shapes(), s));
        }
        return new CycleGanNets(g, d, t);
    }

    /**
     * One network's tensors from a file: a torch state dict ({@code latest_net_G_A.pth}) or a
     * {@code .safetensors} model file written by {@code ukiyoe import}; canonical names either way.
     */
    public static LinkedHashMap<String, Tensor> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file");
        }
        if (file.getFileName().toString().endsWith(".safetensors")) {
            return Safetensors.read(file).tensors();
        }
        return StateDicts.canonical(StateDicts.load(file));
    }

    /** The four networks from files ({@link #read}); a problem is a one-line error naming the file. */
    public static CycleGanNets load(Map<Net, Path> files) {
        Map<Net, Map<String, Tensor>> t = new EnumMap<>(Net.class);
        files.forEach((n, f) -> t.put(n, read(f)));
        try {
            return of(t);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            for (Net n : Net.values()) {
                if (msg.startsWith(n.name())) {
                    throw new UserError(files.get(n) + ": " + msg, e);
                }
            }
            throw new UserError(msg, e);
        }
    }

    /** A deep copy (the trainer updates its tensors in place). */
    public CycleGanNets copy() {
        Map<Net, Map<String, Tensor>> t = new EnumMap<>(Net.class);
        tensors.forEach((n, m) -> {
            LinkedHashMap<String, Tensor> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(k, new Tensor(v.shape(), v.data().clone())));
            t.put(n, c);
        });
        return new CycleGanNets(g, d, t);
    }
}
