package io.ukiyoe.graphs.model;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A StyleGAN2 model: its architecture, its tensors under the canonical names (PyTorch layouts) and
 * free-form string metadata (provenance, blend schedule, ...). One model = one {@code .safetensors}
 * file with the config, a format tag and version in {@code __metadata__}.
 */
public final class StyleGanModel {
    public static final String FORMAT = "ukiyoe.stylegan2";
    public static final String FORMAT_VERSION = "1";
    static final ObjectMapper CONFIG_JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private final StyleGanConfig config;
    private final LinkedHashMap<String, Tensor> tensors;
    private final LinkedHashMap<String, String> metadata;

    /** Builds a model; the tensors must match the config exactly (see {@link #validate}). */
    public StyleGanModel(StyleGanConfig config, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.config = config;
        this.tensors = new LinkedHashMap<>(tensors);
        this.metadata = new LinkedHashMap<>(metadata);
        List<String> problems = validate(config, tensors);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public StyleGanConfig config() {
        return config;
    }

    /** Tensors in canonical order (generator, then discriminator when present). */
    public Map<String, Tensor> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        return t;
    }

    public Map<String, String> metadata() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    public boolean hasDiscriminator() {
        return tensors.keySet().stream().anyMatch(Names::isDiscriminator);
    }

    /** Every mismatch between the tensors and what the config needs: missing, unexpected, wrong shape. */
    public static List<String> validate(StyleGanConfig config, Map<String, Tensor> tensors) {
        List<String> problems = new ArrayList<>();
        Map<String, long[]> expected = new LinkedHashMap<>(Names.generator(config));
        boolean hasD = tensors.keySet().stream().anyMatch(Names::isDiscriminator);
        if (hasD) {
            expected.putAll(Names.discriminator(config));
        }
        for (var e : expected.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                problems.add("missing tensor " + e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                problems.add(e.getKey() + " has shape " + t.shapeString() + ", the config needs "
                        + Arrays.toString(e.getValue()));
            }
        }
        for (String n : tensors.keySet()) {
            if (!expected.containsKey(n)) {
                problems.add("unexpected tensor " + n);
            }
        }
        return problems;
    }

    /** The same model in canonical tensor order (generator names first, then the discriminator's). */
    public static LinkedHashMap<String, Tensor> canonicalOrder(StyleGanConfig config, Map<String, Tensor> tensors) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (String n : Names.generator(config).keySet()) {
            if (tensors.containsKey(n)) {
                out.put(n, tensors.get(n));
            }
        }
        for (String n : Names.discriminator(config).keySet()) {
            if (tensors.containsKey(n)) {
                out.put(n, tensors.get(n));
            }
        }
        tensors.forEach(out::putIfAbsent);
        return out;
    }

    public static String configJson(StyleGanConfig c) {
        return CONFIG_JSON.writeValueAsString(c);
    }

    public static StyleGanConfig parseConfig(String json) {
        return CONFIG_JSON.readValue(json, StyleGanConfig.class);
    }

    public void write(Path file) {
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", FORMAT_VERSION);
        meta.put("config", configJson(config));
        metadata.forEach((k, v) -> {
            if (!meta.containsKey(k)) {
                meta.put(k, v);
            }
        });
        try {
            Safetensors.write(file, canonicalOrder(config, tensors), meta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a model file, checking the format tag, version and every tensor against the config. */
    public static StyleGanModel read(Path file) {
        Safetensors.Contents c = Safetensors.read(file);
        String format = c.metadata().get("format");
        if (!FORMAT.equals(format)) {
            throw new UserError(file + ": not a ukiyoe StyleGAN2 model file (metadata format is "
                    + (format == null ? "missing" : "'" + format + "'") + "; import checkpoints with 'ukiyoe import')");
        }
        String version = c.metadata().get("format_version");
        if (!FORMAT_VERSION.equals(version)) {
            throw new UserError(file + ": model file format version " + version + " is not supported (this build reads "
                    + FORMAT_VERSION + ")");
        }
        StyleGanConfig config;
        try {
            config = parseConfig(c.metadata().get("config"));
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new UserError(file + ": invalid model config in metadata: " + e.getMessage());
        }
        List<String> problems = validate(config, c.tensors());
        if (!problems.isEmpty()) {
            throw new UserError(file + ": tensors do not match the model config: " + String.join("; ", problems));
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.remove("format");
        meta.remove("format_version");
        meta.remove("config");
        return new StyleGanModel(config, c.tensors(), meta);
    }

    /** A copy with other tensors (same names and shapes) and metadata. */
    public StyleGanModel with(Map<String, Tensor> newTensors, Map<String, String> newMetadata) {
        return new StyleGanModel(config, newTensors, newMetadata);
    }

    /** A copy without the discriminator. */
    public StyleGanModel withoutDiscriminator() {
        LinkedHashMap<String, Tensor> g = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (!Names.isDiscriminator(k)) {
                g.put(k, v);
            }
        });
        return new StyleGanModel(config, g, metadata);
    }
}
