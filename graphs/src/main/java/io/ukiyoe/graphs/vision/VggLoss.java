package io.ukiyoe.graphs.vision;

import io.ukiyoe.graphs.layers.TorchWeights;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * pix2pixHD's {@code VGGLoss}: {@code sum_k w_k * mean|vgg_k(fake) - vgg_k(real)|} over the VGG19 slices
 * relu1_1..relu5_1 with weights 1/32, 1/16, 1/8, 1/4, 1; images go in as they are ([-1, 1] RGB, no
 * ImageNet normalisation, as upstream feeds them). The real branch is detached: with the VGG weights
 * constants, nothing of it has a gradient to take.
 */
public final class VggLoss {
    /** Upstream's slice weights. */
    public static final double[] WEIGHTS = {1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0};

    private VggLoss() {}

    /** The weighted terms, one per slice of {@code vgg} (the first {@code vgg.sliceEnds().length} weights). */
    public static List<SDVariable> terms(SameDiff sd, VggFeatures vgg, TorchWeights w, SDVariable fake, SDVariable real) {
        List<SDVariable> f = vgg.forward(sd, fake, w);
        List<SDVariable> r = vgg.forward(sd, real, w);
        List<SDVariable> out = new java.util.ArrayList<>();
        for (int k = 0; k < f.size(); k++) {
            out.add(sd.math().abs(f.get(k).sub(r.get(k))).mean().mul(WEIGHTS[k]));
        }
        return out;
    }

    /** The loss: the sum of {@link #terms}. */
    public static SDVariable loss(SameDiff sd, VggFeatures vgg, TorchWeights w, SDVariable fake, SDVariable real) {
        return sum(terms(sd, vgg, w, fake, real));
    }

    static SDVariable sum(List<SDVariable> xs) {
        SDVariable s = xs.get(0);
        for (int i = 1; i < xs.size(); i++) {
            s = s.add(xs.get(i));
        }
        return s;
    }
}
