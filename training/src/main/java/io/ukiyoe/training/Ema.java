package io.ukiyoe.training;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The exponential moving average of G's parameters that training exports: after each step
 * ema = beta ema + (1 - beta) g with beta = 0.5^(batch / half-life in images); buffers and frozen
 * tensors are copied.
 */
final class Ema {
    private final TrainSettings.EmaHalfLife halfLife;
    private final int batch;
    private final Predicate<String> frozen;

    Ema(TrainSettings.EmaHalfLife halfLife, int batch, Predicate<String> frozen) {
        this.halfLife = halfLife;
        this.batch = batch;
        this.frozen = frozen;
    }

    /** beta after 0-based step {@code step}: stylegan2-ada's ramp-up lets the half-life grow with the images seen. */
    double beta(long step) {
        double images = halfLife.kimg() * 1000;
        if (halfLife.rampup() != null) {
            images = Math.min(images, (step + 1) * (double) batch * halfLife.rampup());
        }
        return Math.pow(0.5, batch / Math.max(images, 1e-8));
    }

    /** ema <- lerp(g, ema, beta), in place. */
    void update(Map<String, Tensor> g, Map<String, Tensor> ema, long step) {
        double beta = beta(step);
        List<float[][]> averaged = new ArrayList<>();     // {g, ema}
        g.forEach((k, t) -> {
            float[] e = ema.get(k).data();
            if (Names.isBuffer(k) || frozen.test(k)) {
                System.arraycopy(t.data(), 0, e, 0, e.length);
            } else {
                averaged.add(new float[][] {t.data(), e});
            }
        });
        Chunks.forEach(averaged, (a, from, to) -> {
            float[] v = a[0], e = a[1];
            for (int i = from; i < to; i++) {
                e[i] = (float) (beta * e[i] + (1 - beta) * v[i]);
            }
        });
    }
}
