package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * pix2pixHD model files: format {@code ukiyoe.pix2pixhd} for the generator and the discriminator alike;
 * the config JSON says which ({@code "network": "generator" | "discriminator"}) and holds the
 * architecture under upstream's option names.
 */
public final class Pix2PixHDFiles {
    public static final String FORMAT = "ukiyoe.pix2pixhd";
    public static final String FORMAT_VERSION = "1";
    static final String GENERATOR = "generator";
    static final String DISCRIMINATOR = "discriminator";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Pix2PixHDFiles() {}

    /** A generator's weights and architecture. */
    public record GeneratorNet(GeneratorConfig config, LinkedHashMap<String, Tensor> tensors) {}

    /** A discriminator's weights and architecture. */
    public record DiscriminatorNet(DiscriminatorConfig config, LinkedHashMap<String, Tensor> tensors) {}

    public static String configJson(GeneratorConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("network", GENERATOR);
        n.put("netG", c.netG());
        n.put("input_nc", c.inputNc());
        n.put("output_nc", c.outputNc());
        n.put("ngf", c.ngf());
        n.put("n_downsample_global", c.nDownsampling());
        n.put("n_blocks_global", c.nBlocks());
        n.put("n_local_enhancers", c.nLocalEnhancers());
        n.put("n_blocks_local", c.nBlocksLocal());
        n.put("norm", "instance");
        return JSON.writeValueAsString(n);
    }

    public static String configJson(DiscriminatorConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("network", DISCRIMINATOR);
        n.put("input_nc", c.inputNc());
        n.put("ndf", c.ndf());
        n.put("n_layers_D", c.nLayers());
        n.put("num_D", c.numD());
        n.put("getIntermFeat", c.intermFeat());
        n.put("norm", "instance");
        return JSON.writeValueAsString(n);
    }

    /** A model file with the tensors in the architecture's order (upstream's module order). */
    static NetworkFile file(String configJson, Map<String, long[]> order, Map<String, Tensor> tensors) {
        LinkedHashMap<String, Tensor> ordered = new LinkedHashMap<>();
        order.keySet().forEach(k -> ordered.put(k, tensors.get(k)));
        return new NetworkFile(FORMAT, FORMAT_VERSION, configJson, ordered, new LinkedHashMap<>());
    }

    static String network(NetworkFile f) {
        return JSON.readTree(f.configJson()).path("network").asString("");
    }

    /** One line about a pix2pixHD file of either kind. */
    static String describe(NetworkFile f) {
        long params = f.tensors().values().stream().mapToLong(Tensor::numel).sum();
        if (network(f).equals(DISCRIMINATOR)) {
            return String.format("pix2pixHD multiscale discriminator (%s), %,d parameters",
                    discriminatorConfig(f.configJson()).describe(), params);
        }
        return String.format("pix2pixHD generator (%s), %,d parameters", generatorConfig(f.configJson()).describe(), params);
    }

    static GeneratorConfig generatorConfig(String json) {
        JsonNode n = JSON.readTree(json);
        return new GeneratorConfig(n.get("input_nc").asInt(), n.get("output_nc").asInt(), n.get("ngf").asInt(),
                n.get("n_downsample_global").asInt(), n.get("n_blocks_global").asInt(),
                n.get("n_local_enhancers").asInt(), n.get("n_blocks_local").asInt());
    }

    static DiscriminatorConfig discriminatorConfig(String json) {
        JsonNode n = JSON.readTree(json);
        return new DiscriminatorConfig(n.get("input_nc").asInt(), n.get("ndf").asInt(), n.get("n_layers_D").asInt(),
                n.get("num_D").asInt(), n.get("getIntermFeat").asBoolean());
    }

    /**
     * A generator from a {@code ukiyoe.pix2pixhd} model file or straight from a torch state dict
     * ({@code latest_net_G.pth}); one-line errors otherwise.
     */
    public static GeneratorNet readGenerator(Path file) {
        Map<String, Tensor> tensors = tensors(file, GENERATOR);
        return Pickles.orFail(file, () -> new GeneratorNet(GeneratorConfig.infer(tensors), new LinkedHashMap<>(tensors)));
    }

    /** A discriminator from a model file or a torch state dict ({@code latest_net_D.pth}). */
    public static DiscriminatorNet readDiscriminator(Path file) {
        Map<String, Tensor> tensors = tensors(file, DISCRIMINATOR);
        return Pickles.orFail(file, () -> new DiscriminatorNet(DiscriminatorConfig.infer(tensors), new LinkedHashMap<>(tensors)));
    }

    /** A torchvision VGG state dict's tensors (canonical names), from a .pth or a safetensors file. */
    public static Map<String, Tensor> readStateDict(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file");
        }
        if (Importer.looksLikeSafetensors(file)) {
            return io.ukiyoe.graphs.model.Safetensors.read(file).tensors();
        }
        return StateDicts.canonical(StateDicts.load(file));
    }

    private static Map<String, Tensor> tensors(Path file, String kind) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file");
        }
        if (!Importer.looksLikeSafetensors(file)) {
            return StateDicts.canonical(StateDicts.load(file));
        }
        NetworkFile f = NetworkFile.read(file, FORMAT, FORMAT_VERSION);
        if (!network(f).equals(kind)) {
            throw new UserError(file + ": a pix2pixHD " + network(f) + ", not a " + kind);
        }
        return f.tensors();
    }
}
