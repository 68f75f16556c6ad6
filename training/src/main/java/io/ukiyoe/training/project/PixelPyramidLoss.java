package io.ukiyoe.training.project;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The perceptual term when no LPIPS weights are given: mean squared differences of the image pyramid
 * (2x2 average pools down to 8 px), each level weighted equally, so coarse structure (pose, layout,
 * colour masses) counts as much as pixel detail. Needs nothing but the images; it matches colours and
 * shapes but not texture as LPIPS does (see the README for how the two compare).
 */
public final class PixelPyramidLoss implements PerceptualLoss {
    /** Smallest pyramid level. */
    static final int MIN_SIZE = 8;

    @Override
    public SDVariable build(SameDiff sd, SDVariable images, SDVariable targets) {
        long size = targets.getShape()[2];              // the target placeholder has a static shape
        SDVariable a = images;
        SDVariable b = targets;
        SDVariable total = sd.math().square(a.sub(b)).mean();
        while (size > MIN_SIZE && size % 2 == 0) {
            size /= 2;
            a = pool(a, size);
            b = pool(b, size);
            total = total.add(sd.math().square(a.sub(b)).mean());
        }
        return total;
    }

    private static SDVariable pool(SDVariable x, long half) {
        return x.reshape(-1, 3, half, 2, half, 2).mean(3, 5);
    }

    @Override
    public String describe() {
        return "pixel pyramid MSE (no LPIPS weights given)";
    }
}
