package io.ukiyoe.training.project;

/**
 * The projector's hyper-parameters, defaults as rosinality's projector.py (and stylegan2-ada's).
 *
 * @param steps            optimisation steps of the schedule
 * @param stopAfter        run only the first K steps of the schedule (null: all of them)
 * @param lr               peak learning rate
 * @param lrRampup         fraction of the schedule over which the rate ramps up linearly
 * @param lrRampdown       final fraction over which it ramps down (cosine)
 * @param latentNoise      latent noise scale (times the latents' std; projector.py's --noise)
 * @param noiseRamp        fraction of the schedule over which the latent noise decays (quadratically) to 0
 * @param noiseRegularize  weight of the noise-map autocorrelation penalty
 * @param mse              weight of the pixel MSE term
 * @param wPlus            optimise one latent per layer (W+) instead of one for all (W)
 * @param meanLatentSamples z samples mapped for the mean latent and its spread
 * @param seed             seed of the mean-latent z, the initial noise maps and the latent noise
 */
public record ProjectorSettings(int steps, Integer stopAfter, double lr, double lrRampup, double lrRampdown,
                                double latentNoise, double noiseRamp, double noiseRegularize, double mse,
                                boolean wPlus, int meanLatentSamples, long seed) {
    public static final ProjectorSettings DEFAULTS =
            new ProjectorSettings(1000, null, 0.1, 0.05, 0.25, 0.05, 0.75, 1e5, 0, false, 10000, 1);

    public ProjectorSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (stopAfter != null && (stopAfter < 0 || stopAfter > steps)) {
            throw new IllegalArgumentException("stop-after must be in [0, " + steps + "], got " + stopAfter);
        }
        if (meanLatentSamples < 1) {
            throw new IllegalArgumentException("mean-latent samples must be at least 1, got " + meanLatentSamples);
        }
    }

    public ProjectorSettings withSteps(int n) {
        return new ProjectorSettings(n, stopAfter, lr, lrRampup, lrRampdown, latentNoise, noiseRamp, noiseRegularize, mse,
                wPlus, meanLatentSamples, seed);
    }

    public ProjectorSettings withStopAfter(Integer k) {
        return new ProjectorSettings(steps, k, lr, lrRampup, lrRampdown, latentNoise, noiseRamp, noiseRegularize, mse,
                wPlus, meanLatentSamples, seed);
    }

    public ProjectorSettings withLatentNoise(double s) {
        return new ProjectorSettings(steps, stopAfter, lr, lrRampup, lrRampdown, s, noiseRamp, noiseRegularize, mse,
                wPlus, meanLatentSamples, seed);
    }

    public ProjectorSettings withWPlus(boolean w) {
        return new ProjectorSettings(steps, stopAfter, lr, lrRampup, lrRampdown, latentNoise, noiseRamp, noiseRegularize,
                mse, w, meanLatentSamples, seed);
    }

    public ProjectorSettings withMse(double w) {
        return new ProjectorSettings(steps, stopAfter, lr, lrRampup, lrRampdown, latentNoise, noiseRamp, noiseRegularize,
                w, wPlus, meanLatentSamples, seed);
    }

    public ProjectorSettings withMeanSamples(int n) {
        return new ProjectorSettings(steps, stopAfter, lr, lrRampup, lrRampdown, latentNoise, noiseRamp, noiseRegularize,
                mse, wPlus, n, seed);
    }

    public ProjectorSettings withSeed(long s) {
        return new ProjectorSettings(steps, stopAfter, lr, lrRampup, lrRampdown, latentNoise, noiseRamp, noiseRegularize,
                mse, wPlus, meanLatentSamples, s);
    }

    /** Steps actually run. */
    public int stepsToRun() {
        return stopAfter == null ? steps : stopAfter;
    }

    /** projector.py's get_lr: linear ramp-up over the first lrRampup, cosine ramp-down over the last lrRampdown. */
    public double lrAt(double t) {
        double r = Math.min(1, (1 - t) / lrRampdown);
        r = 0.5 - 0.5 * Math.cos(r * Math.PI);
        r = r * Math.min(1, t / lrRampup);
        return lr * r;
    }

    /** The latent-noise std at t: {@code latentStd * latentNoise * max(0, 1 - t / noiseRamp)^2}. */
    public double latentNoiseAt(double t, double latentStd) {
        double f = Math.max(0, 1 - t / noiseRamp);
        return latentStd * latentNoise * f * f;
    }
}
