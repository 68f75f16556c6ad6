package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.util.Map;

/** pix2pixHD {@code MultiscaleDiscriminator}s ({@code latest_net_D.pth}). Same file format as the generators. */
public final class DiscriminatorFamily extends Pix2PixHDFamily {
    @Override
    public String displayName() {
        return "pix2pixHD multiscale discriminator";
    }

    @Override
    public boolean recognises(Map<String, Tensor> stateDict) {
        return DiscriminatorConfig.looksLike(StateDicts.canonical(stateDict).keySet());
    }

    @Override
    public NetworkFile fromStateDict(Map<String, Tensor> stateDict) {
        Map<String, Tensor> tensors = StateDicts.canonical(stateDict);
        DiscriminatorConfig c = DiscriminatorConfig.infer(tensors);
        return Pix2PixHDFiles.file(Pix2PixHDFiles.configJson(c), c.expectedShapes(), tensors);
    }
}
