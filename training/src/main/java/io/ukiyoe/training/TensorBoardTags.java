package io.ukiyoe.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TensorBoard tags of a training run, named as stylegan2-ada's training loop names its statistics
 * (loss.py and training_loop.py), so that dashboards built for it read ukiyoe runs too. Values the
 * reference reports per sample are their batch means here, as its TensorBoard shows them.
 */
final class TensorBoardTags {
    private TensorBoardTags() {}

    /** One step's scalars; NaN (a term not computed this step) is left out by the writer. */
    static Map<String, Double> step(TrainerCore.StepLosses l, TrainConfig.Training t, double kimg, double imagesPerS) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("Loss/D/loss", l.lossD());                           // softplus(D(fake)) + softplus(-D(real))
        m.put("Loss/G/loss", l.lossG());                           // softplus(-D(G(z)))
        m.put("Loss/r1_penalty", l.r1());                          // |grad_x D(x)|^2 on reals
        m.put("Loss/D/reg", l.r1() * t.r1Gamma() / 2);             // r1_penalty x gamma / 2
        m.put("Loss/pl_penalty", l.plPenalty());                   // (|J^T y| - pl_mean)^2
        m.put("Loss/G/reg", l.plPenalty() * t.plWeight());         // pl_penalty x pl_weight
        m.put("Loss/pl_length", l.pathLength());                   // ukiyoe's own: the mean |J^T y|
        m.put("Progress/kimg", kimg);
        m.put("Progress/augment", l.adaP());
        m.put("Timing/sec_per_kimg", 1000 / imagesPerS);
        return m;
    }

    /**
     * stylegan2-ada's metric names: {@code fid50k_full} is FID of 50,000 generated images against the
     * full dataset, {@code kid50k_full} KID (unscaled) likewise.
     */
    static String metricTag(String metric, int images) {
        String n = images % 1000 == 0 ? images / 1000 + "k" : Integer.toString(images);
        return switch (metric) {
            case "fid" -> "Metrics/fid" + n + "_full";
            case "kid_x1e3" -> "Metrics/kid" + n + "_full";
            default -> "Metrics/" + metric;
        };
    }

    /** The value under {@link #metricTag}: KID unscaled, as the reference reports it. */
    static double metricValue(String metric, double value) {
        return metric.equals("kid_x1e3") ? value / 1000 : value;
    }
}
