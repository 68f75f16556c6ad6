package io.ukiyoe.graphs.model;

import io.ukiyoe.core.io.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How training checkpoints lay out their networks in one safetensors file: each network's tensors under
 * a prefix before their canonical names. The StyleGAN2 trainer's layout ({@link #STYLEGAN2_FORMAT}: G, G_ema
 * and D under {@link #G}, {@link #G_EMA}, {@link #D}) is read both by the trainer (resume) and by the
 * importer (a checkpoint's G_ema and D as a model file); the other trainers use the same prefix rule.
 */
public final class CheckpointLayout {
    /** Format tag of {@code ukiyoe train} checkpoints. */
    public static final String STYLEGAN2_FORMAT = "ukiyoe.train-checkpoint";
    /** The version of that layout this build writes and reads. */
    public static final String STYLEGAN2_VERSION = "1";
    /** The generator being trained. */
    public static final String G = "G/";
    /** Its exponential moving average: what a run's model file is. */
    public static final String G_EMA = "G_ema/";
    /** The discriminator. */
    public static final String D = "D/";

    private CheckpointLayout() {}

    /** The tensors under {@code prefix}, by their canonical names (the prefix removed), in file order. */
    public static Map<String, Tensor> section(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, t) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), t);
            }
        });
        return out;
    }

    /** Adds a network's tensors to {@code out} under {@code prefix}. */
    public static void put(Map<String, Tensor> out, String prefix, Map<String, Tensor> tensors) {
        tensors.forEach((k, t) -> out.put(prefix + k, t));
    }
}
