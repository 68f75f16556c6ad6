package io.ukiyoe.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ADA's augmentation probability p: with mode ADA it follows the sign of D's logits on reals, adjusted
 * every {@code interval} steps towards the target ({@link Augment#adjust}); with FIXED it stays at its
 * start; with OFF it is never used.
 */
final class AdaController {
    private final TrainConfig.Augmentation settings;
    private final int batch;
    private double p;
    private double signSum;   // sum of sign(D(real)) since the last adjustment
    private long signCount;

    AdaController(TrainConfig.Augmentation settings, int batch) {
        this.settings = settings;
        this.batch = batch;
        this.p = settings.p();
    }

    double p() {
        return p;
    }

    /** Takes one step's real logits; on every {@code interval}-th step (0-based {@code step}) p moves. */
    void observe(INDArray realLogits, long step) {
        if (settings.mode() != TrainConfig.AugmentMode.ADA) {
            return;
        }
        signSum += Transforms.sign(realLogits).sumNumber().doubleValue();
        signCount += batch;
        if ((step + 1) % settings.interval() == 0) {
            p = Augment.adjust(p, signSum / signCount, settings.target(), batch, settings.interval(), settings.adaKimg());
            signSum = 0;
            signCount = 0;
        }
    }

    double signSum() {
        return signSum;
    }

    long signCount() {
        return signCount;
    }

    void restore(double p, double signSum, long signCount) {
        this.p = p;
        this.signSum = signSum;
        this.signCount = signCount;
    }
}
