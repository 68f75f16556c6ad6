package io.ukiyoe.graphs.model;

import io.ukiyoe.core.io.Tensor;
import java.util.Map;

/**
 * One kind of network other than StyleGAN2 that ukiyoe imports and stores as a {@link NetworkFile}
 * (pix2pixHD generator, ESRGAN, Inception, ...). Registered in {@link NetworkFamilies}.
 */
public interface NetworkFamily {
    /** The format tag of its model files, {@code ukiyoe.<family>}. */
    String format();

    /** The format version this build writes and reads. */
    String formatVersion();

    /** What to call it in messages, e.g. "pix2pixHD generator". */
    String displayName();

    /** Whether a state dict's keys (as stored, with dots) are this family's. */
    boolean recognises(Map<String, Tensor> stateDict);

    /**
     * The state dict as a model file: architecture inferred from keys and shapes, every tensor checked.
     * Throws {@link IllegalArgumentException} saying what does not fit.
     */
    NetworkFile fromStateDict(Map<String, Tensor> stateDict);

    /** One line about a file of this family: architecture and parameter count. */
    String describe(NetworkFile file);
}
