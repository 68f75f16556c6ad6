package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.util.Map;

/**
 * pix2pixHD generators ({@code latest_net_G.pth}, global or local) and, having the same keys, CycleGAN
 * {@code ResnetGenerator}s (they import as global generators with {@code n_downsampling} 2).
 */
public final class GeneratorFamily extends Pix2PixHDFamily {
    @Override
    public String displayName() {
        return "ResNet generator (pix2pixHD global / local, CycleGAN)";
    }

    @Override
    public boolean recognises(Map<String, Tensor> stateDict) {
        Tensor stem = stateDict.get("model.1.weight");
        return stem != null && stem.rank() == 4 && stem.shape()[2] == 7 && stem.shape()[3] == 7;
    }

    @Override
    public NetworkFile fromStateDict(Map<String, Tensor> stateDict) {
        Map<String, Tensor> tensors = StateDicts.canonical(stateDict);
        GeneratorConfig c = GeneratorConfig.infer(tensors);
        return Pix2PixHDFiles.file(Pix2PixHDFiles.configJson(c), c.expectedShapes(), tensors);
    }
}
