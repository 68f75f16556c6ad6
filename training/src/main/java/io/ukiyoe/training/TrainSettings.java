package io.ukiyoe.training;

/**
 * What a StyleGAN2 training loop ({@link TrainerCore}) is asked to do, grouped by concern; made from a
 * training config by {@link #from}.
 *
 * @param batch       images per step
 * @param lr          Adam learning rate of G and D (betas (0, 0.99)), before the lazy-regularisation correction
 * @param seed        seed of the loop's random stream (latents, noise, augmentation)
 * @param styleMixing probability of style mixing per batch
 */
public record TrainSettings(int batch, double lr, long seed, double styleMixing, R1 r1, EmaHalfLife ema,
                            PathLength pathLength, TrainConfig.Augmentation augment) {
    /** Lazy R1 on reals: weight gamma (0: off), every {@code interval} steps. */
    public record R1(double gamma, int interval) {
        boolean on() {
            return gamma > 0;
        }
    }

    /** G EMA half-life in kimg, with stylegan2-ada's ramp-up (half-life at most rampup x images so far; null: none). */
    public record EmaHalfLife(double kimg, Double rampup) {}

    /** Lazy path-length regularisation (weight 0: off) on batch / batchShrink samples every {@code interval} steps. */
    public record PathLength(double weight, int interval, int batchShrink, double decay) {
        public static final PathLength OFF = new PathLength(0, 4, 2, 0.01);

        boolean on() {
            return weight > 0;
        }
    }

    static final TrainConfig.Augmentation NO_AUGMENTATION =
            new TrainConfig.Augmentation(TrainConfig.AugmentMode.OFF, 0, 0.6, 4, 500, Augment.Pipe.BGC);

    /** The settings of a training config. */
    public static TrainSettings from(TrainConfig c) {
        TrainConfig.Training t = c.training();
        return new TrainSettings(t.batch(), t.learningRate(), c.seed(), t.styleMixing(),
                new R1(t.r1Gamma(), t.r1Interval()), new EmaHalfLife(t.emaKimg(), t.emaRampup()),
                new PathLength(t.plWeight(), t.plInterval(), t.plBatchShrink(), t.plDecay()), t.augment());
    }

    /** Settings without path-length regularisation and augmentation ({@link #withPathLength}, {@link #withAugment}). */
    public static TrainSettings of(int batch, double lr, double r1Gamma, int r1Interval, double emaKimg, Double emaRampup,
                                   double styleMixing, long seed) {
        return new TrainSettings(batch, lr, seed, styleMixing, new R1(r1Gamma, r1Interval),
                new EmaHalfLife(emaKimg, emaRampup), PathLength.OFF, NO_AUGMENTATION);
    }

    public TrainSettings withPathLength(double weight, int interval, int batchShrink, double decay) {
        return new TrainSettings(batch, lr, seed, styleMixing, r1, ema, new PathLength(weight, interval, batchShrink, decay),
                augment);
    }

    public TrainSettings withAugment(TrainConfig.Augmentation a) {
        return new TrainSettings(batch, lr, seed, styleMixing, r1, ema, pathLength, a);
    }

    boolean augmenting() {
        return augment.mode() != TrainConfig.AugmentMode.OFF;
    }
}
