package io.ukiyoe.graphs.cyclegan;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NamedFamily;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CycleGAN's discriminators ({@code latest_net_D_A.pth}, {@code latest_net_D_B.pth}) as
 * {@value #FORMAT} files. Recognised by a {@code model.0.weight} 4x4 conv: a ResnetGenerator's
 * {@code model.0} is a reflection pad, so generator dicts are never claimed (they import through the
 * pix2pixHD generator family, which has the same keys and math).
 */
public final class PatchDiscriminatorFamily extends NamedFamily {
    public static final String FORMAT = "ukiyoe.cyclegan_patch_d";
    public static final String VERSION = "1";
    private static final Pattern KEY = Pattern.compile("model\\.\\d+\\.(weight|bias)");
    /** Buffers that InstanceNorm layers of pre-0.4 PyTorch saved; upstream's load_networks drops them too. */
    private static final Pattern STALE_NORM_BUFFER = Pattern.compile("model\\.\\d+\\.(running_mean|running_var|num_batches_tracked)");

    public PatchDiscriminatorFamily() {
        super(FORMAT, VERSION, "CycleGAN PatchGAN discriminator");
    }

    @Override
    public boolean recognises(Map<String, Tensor> stateDict) {
        Tensor first = stateDict.get("model.0.weight");
        return first != null && first.rank() == 4 && first.shape()[2] == 4 && first.shape()[3] == 4
                && stateDict.keySet().stream().allMatch(k -> KEY.matcher(k).matches() || STALE_NORM_BUFFER.matcher(k).matches());
    }

    @Override
    public NetworkFile fromStateDict(Map<String, Tensor> stateDict) {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        stateDict.forEach((k, t) -> {
            if (!STALE_NORM_BUFFER.matcher(k).matches()) {
                tensors.put(StateDicts.canonical(k), t);
            }
        });
        PatchDiscriminatorConfig c = PatchDiscriminatorConfig.infer(tensors);
        return new NetworkFile(FORMAT, VERSION, c.toJson(), tensors, new LinkedHashMap<>());
    }

    @Override
    public String describe(NetworkFile file) {
        PatchDiscriminatorConfig c = PatchDiscriminatorConfig.parse(file.configJson());
        long params = file.tensors().values().stream().mapToLong(Tensor::numel).sum();
        return String.format("CycleGAN PatchGAN discriminator, %d input channels, ndf %d, %d layers, %,d params",
                c.inputNc(), c.ndf(), c.nLayers(), params);
    }

    /** The config of a file of this family, its tensors checked against it. */
    public static PatchDiscriminatorConfig config(NetworkFile file) {
        PatchDiscriminatorConfig c = PatchDiscriminatorConfig.parse(file.configJson());
        var problems = c.validate(file.tensors());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("tensors do not match the config: " + String.join("; ", problems));
        }
        return c;
    }
}
