package io.ukiyoe.cli;

import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every {@code grads} command writes (StyleGAN2, pix2pixHD, CycleGAN), to compare one training
 * step with another implementation: {@code losses.json} and one uncompressed {@code grads_<NAME>.npz} per
 * network, keyed by canonical names. Called once everything is computed, so a failure writes nothing.
 */
final class GradsFiles {
    private GradsFiles() {}

    /** {@code grads} maps NAME (file {@code grads_NAME.npz}) to that network's gradients; null entries are skipped. */
    static void write(Path out, Map<String, ?> losses, Map<String, ? extends Map<String, Tensor>> grads) throws IOException {
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("losses.json"),
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(losses) + "\n");
        for (var e : grads.entrySet()) {
            if (e.getValue() != null) {
                Npy.writeNpz(out.resolve("grads_" + e.getKey() + ".npz"), e.getValue());
            }
        }
    }
}
