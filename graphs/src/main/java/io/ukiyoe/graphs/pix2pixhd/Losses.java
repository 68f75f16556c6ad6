package io.ukiyoe.graphs.pix2pixhd;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** The loss terms of {@code pix2pixHD_model.forward}. */
public final class Losses {
    /** Upstream's {@code --lambda_feat}, the weight of feature matching and of the VGG loss. */
    public static final double LAMBDA_FEAT = 10.0;

    private Losses() {}

    /** LSGAN: {@code sum_i mean((logits_i - target)^2)} over the scales' last outputs (summed, not averaged). */
    public static SDVariable lsgan(List<List<SDVariable>> preds, double target) {
        SDVariable total = null;
        for (List<SDVariable> scale : preds) {
            SDVariable d = scale.get(scale.size() - 1).sub(target);
            SDVariable term = d.mul(d).mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /**
     * Feature matching: {@code sum_i sum_j (1/num_D) (4/(n_layers+1)) lambda L1(fake_ij, real_ij)} over every
     * layer but the logits; the real features enter as they are (detached: they depend on no G tensor).
     */
    public static SDVariable featureMatching(SameDiff sd, List<List<SDVariable>> fake, List<List<SDVariable>> real,
                                             int nLayers, double lambda) {
        double weight = (1.0 / fake.size()) * (4.0 / (nLayers + 1)) * lambda;
        SDVariable total = null;
        for (int i = 0; i < fake.size(); i++) {
            for (int j = 0; j < fake.get(i).size() - 1; j++) {
                SDVariable term = sd.math().abs(fake.get(i).get(j).sub(real.get(i).get(j))).mean().mul(weight);
                total = total == null ? term : total.add(term);
            }
        }
        return total;
    }
}
