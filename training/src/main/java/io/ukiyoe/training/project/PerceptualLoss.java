package io.ukiyoe.training.project;

import io.ukiyoe.graphs.vision.Lpips;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** The projector's perceptual term: a graph piece comparing generated images with targets. */
public interface PerceptualLoss {
    /** The distance summed over the batch (projector.py's {@code percept(img_gen, imgs).sum()}), images [N, 3, H, W] in [-1, 1]. */
    SDVariable build(SameDiff sd, SDVariable images, SDVariable targets);

    /** What it is, for logs and the README's trace. */
    String describe();

    /** LPIPS (net-lin, VGG16), as the references use. */
    static PerceptualLoss lpips(Lpips lpips) {
        return new PerceptualLoss() {
            @Override
            public SDVariable build(SameDiff sd, SDVariable images, SDVariable targets) {
                return lpips.distance(sd, lpips.constants(sd), images, targets).sum();
            }

            @Override
            public String describe() {
                return "LPIPS (VGG16 net-lin)";
            }
        };
    }
}
