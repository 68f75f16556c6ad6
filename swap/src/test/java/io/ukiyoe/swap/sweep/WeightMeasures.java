package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.StyleGanModel;

/**
 * Measures for testing the sweep's own logic without a metrics library: figures read off the models'
 * weights, no images. The style distance is the squared weight distance to the target (0 for a blend
 * that is the target), the correlation 1 minus the fraction of the base-to-target distance moved (1 for
 * the base, 0 for the target); FID is twice the style distance when the config names Inception weights.
 */
public record WeightMeasures(int minResolution) implements BlendMeasures.Factory {
    public WeightMeasures() {
        this(16);
    }

    @Override
    public BlendMeasures prepare(SweepConfig c, StyleGanModel base, StyleGanModel target) {
        double gap = distance(base, target);
        return (m, withFidKid) -> {
            double style = distance(m, target);
            double moved = distance(m, base) / gap;
            boolean fid = withFidKid && c.metrics().inception() != null;
            return new BlendMeasures.Measures(style, fid ? 2 * style : Double.NaN, Double.NaN, 1 - moved, 1 - moved / 2,
                    Double.NaN);
        };
    }

    /** Sum of squared differences over the tensors both models have. */
    static double distance(StyleGanModel a, StyleGanModel b) {
        double sum = 0;
        for (var e : a.tensors().entrySet()) {
            Tensor other = b.tensors().get(e.getKey());
            if (other != null) {
                float[] x = e.getValue().data();
                float[] y = other.data();
                for (int i = 0; i < x.length; i++) {
                    sum += (double) (x[i] - y[i]) * (x[i] - y[i]);
                }
            }
        }
        return sum;
    }
}
