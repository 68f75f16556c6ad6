package io.ukiyoe.graphs.model;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A network other than StyleGAN2 (pix2pixHD, CycleGAN, ESRGAN, Inception, LPIPS, MTCNN) as one
 * {@code .safetensors} file: tensors under canonical names (the upstream state-dict keys with
 * {@code .} replaced by {@code /}), and in {@code __metadata__} a format tag ({@code ukiyoe.<family>}),
 * its version, the architecture as JSON under {@code config}, and free-form provenance entries.
 * Each family validates its tensors against its config; this type only carries and checks the envelope.
 */
public record NetworkFile(String format, String formatVersion, String configJson,
                          LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> metadata) {
    public NetworkFile {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(formatVersion, "formatVersion");
        Objects.requireNonNull(configJson, "configJson");
        tensors = new LinkedHashMap<>(tensors);
        metadata = new LinkedHashMap<>(metadata);
    }

    public Map<String, Tensor> tensorsView() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Writes the file atomically (temporary name, then rename). */
    public void write(Path file) {
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("format", format);
        meta.put("format_version", formatVersion);
        meta.put("config", configJson);
        metadata.forEach(meta::putIfAbsent);
        try {
            Safetensors.write(file, tensors, meta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The format tag of a safetensors file, or null when it has none (a raw state dict, another tool's file). */
    public static String formatOf(Path file) {
        return Safetensors.read(file).metadata().get("format");
    }

    /**
     * Reads a file that must carry {@code format} at {@code version}; anything else is a one-line error
     * naming the file and what it is instead.
     */
    public static NetworkFile read(Path file, String format, String version) {
        Safetensors.Contents c = Safetensors.read(file);
        String found = c.metadata().get("format");
        if (!format.equals(found)) {
            throw new UserError(file + ": not a " + format + " model file (metadata format is "
                    + (found == null ? "missing" : "'" + found + "'") + "; convert checkpoints with 'ukiyoe import')");
        }
        String v = c.metadata().get("format_version");
        if (!version.equals(v)) {
            throw new UserError(file + ": " + format + " file format version " + v
                    + " is not supported (this build reads " + version + ")");
        }
        String config = c.metadata().get("config");
        if (config == null) {
            throw new UserError(file + ": " + format + " file without a 'config' entry in its metadata");
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.remove("format");
        meta.remove("format_version");
        meta.remove("config");
        return new NetworkFile(format, version, config, c.tensors(), meta);
    }
}
