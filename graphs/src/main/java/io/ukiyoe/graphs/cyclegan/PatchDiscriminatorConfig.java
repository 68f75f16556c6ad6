package io.ukiyoe.graphs.cyclegan;

import io.ukiyoe.core.io.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape of CycleGAN's {@code NLayerDiscriminator(input_nc, ndf, n_layers, norm=instance)} (netD
 * 'basic' is {@code n_layers = 3}). Its {@code model} Sequential holds {@code n_layers + 2} convs, all 4x4
 * with zero padding 1 and a bias: conv 0 (stride 2, {@code ndf} channels, LeakyReLU 0.2), convs
 * {@code 1..n_layers-1} (stride 2, {@code ndf * min(2^i, 8)} channels, InstanceNorm, LeakyReLU), conv
 * {@code n_layers} (stride 1, {@code ndf * min(2^n_layers, 8)}, InstanceNorm, LeakyReLU) and the logits
 * conv (stride 1, one channel, nothing after). Tensor names are canonical: {@code model/<index>/weight}.
 */
public record PatchDiscriminatorConfig(int inputNc, int ndf, int nLayers) {
    private static final Pattern CONV = Pattern.compile("model/(\\d+)/(weight|bias)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public PatchDiscriminatorConfig {
        if (inputNc < 1 || ndf < 1 || nLayers < 1) {
            throw new IllegalArgumentException("NLayerDiscriminator needs input_nc, ndf and n_layers >= 1, got "
                    + inputNc + ", " + ndf + ", " + nLayers);
        }
    }

    /** Number of convs: {@code n_layers + 2}. */
    public int convs() {
        return nLayers + 2;
    }

    /** Index in the {@code model} Sequential of conv {@code i}: 0, then 2, 5, 8, ... (conv, norm, LeakyReLU each). */
    public int moduleIndex(int conv) {
        return conv == 0 ? 0 : 2 + 3 * (conv - 1);
    }

    public int outChannels(int conv) {
        return conv == convs() - 1 ? 1 : ndf * Math.min(1 << Math.min(conv, 3), 8);
    }

    public int inChannels(int conv) {
        return conv == 0 ? inputNc : outChannels(conv - 1);
    }

    /** Convs before the stride-1 pair halve the map. */
    public int stride(int conv) {
        return conv < nLayers ? 2 : 1;
    }

    /** Instance norm follows every conv but the first and the logits conv. */
    public boolean normed(int conv) {
        return conv > 0 && conv < convs() - 1;
    }

    public String weight(int conv) {
        return "model/" + moduleIndex(conv) + "/weight";
    }

    public String bias(int conv) {
        return "model/" + moduleIndex(conv) + "/bias";
    }

    /** Canonical name -> shape of every parameter, in state-dict order. */
    public LinkedHashMap<String, long[]> shapes() {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < convs(); i++) {
            out.put(weight(i), new long[] {outChannels(i), inChannels(i), 4, 4});
            out.put(bias(i), new long[] {outChannels(i)});
        }
        return out;
    }

    /** Spatial size of the patch map for an input axis of {@code n}: k4 p1 maps n -> floor(n/2) (stride 2), n - 1 (stride 1). */
    public long outputSize(long n) {
        for (int i = 0; i < convs() && n > 0; i++) {
            n = Math.floorDiv(n + 2 - 4, stride(i)) + 1;
        }
        return Math.max(n, 0);
    }

    /** Problems of a tensor set against this config (missing, extra or mis-shaped tensors); empty when it fits. */
    public List<String> validate(Map<String, Tensor> tensors) {
        List<String> problems = new ArrayList<>();
        LinkedHashMap<String, long[]> expected = shapes();
        expected.forEach((k, s) -> {
            Tensor t = tensors.get(k);
            if (t == null) {
                problems.add("missing " + k + " " + Arrays.toString(s));
            } else if (!Arrays.equals(t.shape(), s)) {
                problems.add(k + " has shape " + t.shapeString() + ", expected " + Arrays.toString(s));
            }
        });
        tensors.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> problems.add("unexpected tensor " + k));
        return problems;
    }

    /**
     * The architecture of canonical tensors: {@code n_layers} from the number of convs, input channels
     * and {@code ndf} from the first conv; then every tensor is checked against it. Throws
     * {@link IllegalArgumentException} saying what does not fit.
     */
    public static PatchDiscriminatorConfig infer(Map<String, Tensor> tensors) {
        TreeSet<Integer> indices = new TreeSet<>();
        for (String k : tensors.keySet()) {
            Matcher m = CONV.matcher(k);
            if (!m.matches()) {
                throw new IllegalArgumentException("unexpected tensor " + k + " for an NLayerDiscriminator");
            }
            indices.add(Integer.parseInt(m.group(1)));
        }
        Tensor first = tensors.get("model/0/weight");
        if (first == null || first.rank() != 4) {
            throw new IllegalArgumentException("model/0/weight (the first 4x4 conv) missing or not rank 4");
        }
        if (indices.size() < 3) {
            throw new IllegalArgumentException("an NLayerDiscriminator has at least 3 convs, found " + indices.size());
        }
        PatchDiscriminatorConfig c = new PatchDiscriminatorConfig((int) first.shape()[1], (int) first.shape()[0],
                indices.size() - 2);
        List<String> problems = c.validate(tensors);
        if (!problems.isEmpty()) {
            // a norm layer with parameters (batch norm) shows as rank-1 weights
            boolean normParams = tensors.entrySet().stream()
                    .anyMatch(e -> e.getKey().endsWith("/weight") && e.getValue().rank() == 1);
            throw new IllegalArgumentException("not an instance-norm NLayerDiscriminator with " + c.nLayers()
                    + " layers" + (normParams ? " (a norm layer with parameters: only norm 'instance' is supported)" : "")
                    + ": " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
        }
        return c;
    }

    /** Fresh parameters as CycleGAN initialises them ({@link NormalInit}). */
    public LinkedHashMap<String, Tensor> init(long seed) {
        return NormalInit.init(shapes(), seed);
    }

    public String toJson() {
        return "{\"input_nc\":" + inputNc + ",\"ndf\":" + ndf + ",\"n_layers\":" + nLayers + ",\"norm\":\"instance\"}";
    }

    public static PatchDiscriminatorConfig parse(String json) {
        JsonNode n = JSON.readTree(json);
        if (!"instance".equals(n.path("norm").asString("instance"))) {
            throw new IllegalArgumentException("norm '" + n.path("norm").asString() + "' is not supported (only instance)");
        }
        return new PatchDiscriminatorConfig(n.required("input_nc").asInt(), n.required("ndf").asInt(),
                n.required("n_layers").asInt());
    }
}
