package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.pickle.TorchSave;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A model as a rosinality/stylegan2-pytorch checkpoint: {@code {"g_ema": state_dict, "latent_avg": [w_dim],
 * "d": state_dict}} in torch's zip format, which {@code generate.py} and {@code projector.py} load unchanged.
 *
 * <p>Only the module layout of rosinality's {@code Generator} / {@code Discriminator} (which keys exist and
 * their shapes) is spelled out here; every key's canonical name comes from the importer's own mapping
 * ({@link Rosinality#generatorSlot}), so export and import cannot drift apart. Every canonical tensor must
 * be claimed by exactly one key, which {@link #checkpoint} checks.
 */
public final class RosinalityExport {
    /** rosinality stores its up-sampling FIR filters times factor^2; the discriminator's down filters as they are. */
    private static final float UP_GAIN = 4;
    private static final float DOWN_GAIN = 1;

    private RosinalityExport() {}

    /** The checkpoint's top-level dict, ready for {@link TorchSave}. */
    public static LinkedHashMap<String, Object> checkpoint(StyleGanModel model) {
        StyleGanConfig c = model.config();
        LinkedHashMap<String, Object> root = new LinkedHashMap<>();
        Set<String> claimed = new HashSet<>();
        root.put("g_ema", stateDict(generatorLayout(c), Rosinality::generatorSlot, UP_GAIN, model, claimed));
        Tensor avg = model.tensor(Names.W_AVG);
        root.put("latent_avg", avg.reshape(avg.numel()));
        claimed.add(Names.W_AVG);
        if (model.hasDiscriminator()) {
            int top = c.resolution();
            root.put("d", stateDict(discriminatorLayout(c), k -> Rosinality.discriminatorSlot(k, top), DOWN_GAIN,
                    model, claimed));
        }
        Set<String> left = new java.util.TreeSet<>(model.tensors().keySet());
        left.removeAll(claimed);
        if (!left.isEmpty()) {
            throw new IllegalStateException("tensors with no rosinality key: " + left);
        }
        return root;
    }

    /** Writes {@link #checkpoint} as a torch.save zip file (atomically). */
    public static void write(StyleGanModel model, Path out) {
        try {
            TorchSave.write(out, checkpoint(model));
        } catch (IOException e) {
            throw new UserError(out + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code channel_multiplier} for which rosinality's channel table equals the model's, or empty:
     * then {@code Generator(size, style_dim, n_mlp, channel_multiplier)} cannot build it without editing
     * its {@code channels} dict.
     */
    public static java.util.OptionalInt channelMultiplier(StyleGanConfig c) {
        for (int m = 1; m <= 4; m++) {
            if (StyleGanConfig.rosinalityChannels(c.resolution(), m).equals(c.channels())) {
                return java.util.OptionalInt.of(m);
            }
        }
        return java.util.OptionalInt.empty();
    }

    private static LinkedHashMap<String, Tensor> stateDict(Map<String, long[]> layout, Function<String, Rosinality.Slot> slots,
                                                           float firGain, StyleGanModel model, Set<String> claimed) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        layout.forEach((key, shape) -> {
            Rosinality.Slot slot = slots.apply(key);
            if (slot == null) {
                out.put(key, new Tensor(shape, Fir.standard(firGain)));
                return;
            }
            Tensor t = model.tensor(slot.name());
            if (t.numel() != Tensor.numel(shape) || !claimed.add(slot.name())) {
                throw new IllegalStateException(key + ": canonical " + slot.name() + " " + t.shapeString()
                        + " does not fill " + Arrays.toString(shape) + " (or is claimed twice)");
            }
            out.put(key, t.reshape(shape));
        });
        return out;
    }

    /** The keys and shapes of rosinality's {@code Generator.state_dict()} for this architecture, in its order. */
    static LinkedHashMap<String, long[]> generatorLayout(StyleGanConfig c) {
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        int w = c.wDim();
        for (int i = 1; i <= c.nMlp(); i++) {          // style.0 is the PixelNorm
            m.put("style." + i + ".weight", new long[] {w, i == 1 ? c.zDim() : w});
            m.put("style." + i + ".bias", new long[] {w});
        }
        int c4 = c.channels(4);
        m.put("input.input", new long[] {1, c4, 4, 4});
        styledConv(m, "conv1.", c4, c4, w, false);
        toRgb(m, "to_rgb1.", c4, w, false);
        int i = 0;
        for (int res = 8; res <= c.resolution(); res *= 2) {
            styledConv(m, "convs." + i++ + ".", c.channels(res / 2), c.channels(res), w, true);
            styledConv(m, "convs." + i++ + ".", c.channels(res), c.channels(res), w, false);
        }
        int k = 0;
        for (int res = 8; res <= c.resolution(); res *= 2) {
            toRgb(m, "to_rgbs." + k++ + ".", c.channels(res), w, true);
        }
        for (int layer = 0; layer < c.numWs() - 1; layer++) {
            long res = 1L << ((layer + 5) / 2);
            m.put("noises.noise_" + layer, new long[] {1, 1, res, res});
        }
        return m;
    }

    private static void styledConv(Map<String, long[]> m, String p, int cin, int cout, int w, boolean up) {
        m.put(p + "conv.weight", new long[] {1, cout, cin, 3, 3});
        if (up) {
            m.put(p + "conv.blur.kernel", new long[] {4, 4});
        }
        m.put(p + "conv.modulation.weight", new long[] {cin, w});
        m.put(p + "conv.modulation.bias", new long[] {cin});
        m.put(p + "noise.weight", new long[] {1});
        m.put(p + "activate.bias", new long[] {cout});
    }

    private static void toRgb(Map<String, long[]> m, String p, int cin, int w, boolean up) {
        m.put(p + "bias", new long[] {1, 3, 1, 1});
        if (up) {
            m.put(p + "upsample.kernel", new long[] {4, 4});
        }
        m.put(p + "conv.weight", new long[] {1, 3, cin, 1, 1});
        m.put(p + "conv.modulation.weight", new long[] {cin, w});
        m.put(p + "conv.modulation.bias", new long[] {cin});
    }

    /** The keys and shapes of rosinality's {@code Discriminator.state_dict()}, from the image side. */
    static LinkedHashMap<String, long[]> discriminatorLayout(StyleGanConfig c) {
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        int top = c.resolution();
        m.put("convs.0.0.weight", new long[] {c.channels(top), 3, 1, 1});
        m.put("convs.0.1.bias", new long[] {c.channels(top)});
        int i = 1;
        for (int res = top; res >= 8; res /= 2, i++) {
            int ch = c.channels(res);
            int out = c.channels(res / 2);
            String p = "convs." + i + ".";
            m.put(p + "conv1.0.weight", new long[] {ch, ch, 3, 3});
            m.put(p + "conv1.1.bias", new long[] {ch});
            m.put(p + "conv2.0.kernel", new long[] {4, 4});
            m.put(p + "conv2.1.weight", new long[] {out, ch, 3, 3});
            m.put(p + "conv2.2.bias", new long[] {out});
            m.put(p + "skip.0.kernel", new long[] {4, 4});
            m.put(p + "skip.1.weight", new long[] {out, ch, 1, 1});
        }
        int c4 = c.channels(4);
        m.put("final_conv.0.weight", new long[] {c4, c4 + c.mbstdChannels(), 3, 3});
        m.put("final_conv.1.bias", new long[] {c4});
        m.put("final_linear.0.weight", new long[] {c4, c4 * 16L});
        m.put("final_linear.0.bias", new long[] {c4});
        m.put("final_linear.1.weight", new long[] {1, c4});
        m.put("final_linear.1.bias", new long[] {1});
        return m;
    }
}
