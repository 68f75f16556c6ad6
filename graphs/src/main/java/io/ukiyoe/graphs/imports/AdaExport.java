package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.Safetensors;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model's generator as a stylegan2-ada-pytorch state dict in a {@code .safetensors} file, which
 * {@code training.networks.Generator(**kwargs).load_state_dict(..., strict=False)} loads (the FIR
 * {@code resample_filter} buffers are derived there and not written). The names are the inverse of
 * {@link Ada#fromStateDicts}: canonical {@code /} back to {@code .}. The constructor arguments go into the
 * metadata as JSON under {@link #KWARGS} when ada's channel rule can express the model's channel table.
 */
public final class AdaExport {
    public static final String KWARGS = "generator_kwargs";

    private AdaExport() {}

    /** The generator's tensors under stylegan2-ada names ({@code mapping.fc0.weight}, {@code synthesis.b8.conv0.noise_const}, ...). */
    public static LinkedHashMap<String, Tensor> stateDict(StyleGanModel model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        model.tensors().forEach((name, t) -> {
            if (!Names.isDiscriminator(name)) {
                out.put(name.replace('/', '.'), t);
            }
        });
        return out;
    }

    /** {@code training.networks.Generator}'s keyword arguments for this model, or null if channel_base/max cannot give its channels. */
    public static String generatorKwargs(StyleGanConfig c) {
        int max = c.channels().values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int base : c.channels().entrySet().stream().mapToInt(e -> e.getKey() * e.getValue()).distinct().toArray()) {
            if (StyleGanConfig.adaChannels(c.resolution(), base, max).equals(c.channels())) {
                ObjectNode k = JsonMapper.builder().build().createObjectNode();
                k.put("z_dim", c.zDim()).put("c_dim", 0).put("w_dim", c.wDim())
                        .put("img_resolution", c.resolution()).put("img_channels", 3);
                k.putObject("mapping_kwargs").put("num_layers", c.nMlp()).put("lr_multiplier", c.mappingLrMul());
                ObjectNode s = k.putObject("synthesis_kwargs").put("channel_base", base).put("channel_max", max)
                        .put("num_fp16_res", 0);
                if (c.convClamp() == null) {
                    s.putNull("conv_clamp");
                } else {
                    s.put("conv_clamp", c.convClamp());
                }
                return k.toString();
            }
        }
        return null;
    }

    /** Writes the state dict with the kwargs and the model's provenance as metadata (atomically). */
    public static void write(StyleGanModel model, Path out) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "stylegan2-ada-pytorch.generator");
        String kwargs = generatorKwargs(model.config());
        if (kwargs != null) {
            meta.put(KWARGS, kwargs);
        }
        model.metadata().forEach(meta::putIfAbsent);
        try {
            Safetensors.write(out, stateDict(model), meta);
        } catch (IOException e) {
            throw new UserError(out + ": cannot write: " + e.getMessage(), e);
        }
    }
}
