package io.ukiyoe.training;

import io.ukiyoe.core.io.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam as PyTorch 1.13 computes it (bias-corrected, eps added after the square root): the optimiser
 * of StyleGAN2 with betas (0, 0.99). Moments live here, one pair per tensor name.
 */
public final class Adam {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private long t;

    public Adam(double lr, double beta1, double beta2, double eps) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** One step: returns the updated parameters (inputs are not modified). */
    public Map<String, Tensor> step(Map<String, Tensor> params, Map<String, Tensor> grads) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, float[]> g = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            Tensor copy = new Tensor(p.shape(), p.data().clone());
            out.put(name, copy);
            values.put(name, copy.data());
            g.put(name, grads.get(name).data());
        });
        update(values, g);
        return out;
    }

    /**
     * One step on the parameters' own arrays (no copies: a training step's parameters are megabytes
     * that would otherwise become garbage every step).
     */
    public void update(Map<String, float[]> params, Map<String, float[]> grads) {
        update(params, grads, lr);
    }

    /** As {@link #update(Map, Map)} with this step's learning rate (a schedule's, e.g. the projector's). */
    public void update(Map<String, float[]> params, Map<String, float[]> grads, double lr) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, t));
        List<float[][]> tensors = new ArrayList<>();            // {param, grad, m, v}
        params.forEach((name, q) -> {
            float[] g = grads.get(name);
            if (g == null || g.length != q.length) {
                throw new IllegalArgumentException("gradient of " + name + " missing or of another size");
            }
            tensors.add(new float[][] {q, g, m.computeIfAbsent(name, k -> new float[g.length]),
                    v.computeIfAbsent(name, k -> new float[g.length])});
        });
        // in float32, as PyTorch's Adam on float32 tensors (and 2-3x faster than in double here); each
        // element on its own: the same values on any number of threads
        float b1 = (float) beta1, c1 = (float) (1 - beta1), b2 = (float) beta2, c2 = (float) (1 - beta2);
        float root = (float) bc2, e = (float) eps, stepSize = (float) (lr / bc1);
        Chunks.forEach(tensors, (a, from, to) -> {
            float[] q = a[0], g = a[1], mm = a[2], vv = a[3];
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float m1 = b1 * mm[i] + c1 * gi;
                float v1 = b2 * vv[i] + c2 * gi * gi;
                mm[i] = m1;
                vv[i] = v1;
                q[i] -= stepSize * m1 / ((float) Math.sqrt(v1) / root + e);
            }
        });
    }

    /** The same optimiser (moments, step count, betas) at another learning rate: a schedule's next epoch. */
    public Adam withLearningRate(double newLr) {
        Adam a = new Adam(newLr, beta1, beta2, eps);
        a.restore(state());
        return a;
    }

    public long steps() {
        return t;
    }

    /** Moments and step count, for checkpoints: first and second moments by tensor name. */
    public record State(long steps, Map<String, float[]> m, Map<String, float[]> v) {}

    /** A copy of the moments (later steps do not change it). */
    public State state() {
        Map<String, float[]> mc = new LinkedHashMap<>();
        Map<String, float[]> vc = new LinkedHashMap<>();
        m.forEach((k, a) -> mc.put(k, a.clone()));
        v.forEach((k, a) -> vc.put(k, a.clone()));
        return new State(t, mc, vc);
    }

    /** Continues from a saved state (same hyper-parameters are the caller's business). */
    public void restore(State s) {
        m.clear();
        v.clear();
        s.m().forEach((k, a) -> m.put(k, a.clone()));
        s.v().forEach((k, a) -> v.put(k, a.clone()));
        t = s.steps();
    }
}
