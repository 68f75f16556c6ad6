package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import java.util.Map;
import java.util.Random;

/**
 * The mapping network in plain Java, for the one place that needs it outside a graph: estimating
 * {@code w_avg} (the mean of mapping(z) over many z, as rosinality's {@code mean_latent}) when a
 * checkpoint has none.
 */
final class MappingMath {
    private MappingMath() {}

    static Tensor meanW(StyleGanConfig c, Map<String, Tensor> t, int n, long seed) {
        Random rnd = new Random(seed);
        double[] sum = new double[c.wDim()];
        float[] z = new float[c.zDim()];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) rnd.nextGaussian();
            }
            float[] w = map(c, t, z);
            for (int i = 0; i < w.length; i++) {
                sum[i] += w[i];
            }
        }
        float[] mean = new float[c.wDim()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / n);
        }
        return new Tensor(new long[] {c.wDim()}, mean);
    }

    static float[] map(StyleGanConfig c, Map<String, Tensor> t, float[] z) {
        double ms = 0;
        for (float v : z) {
            ms += v * v;
        }
        float norm = (float) (1 / Math.sqrt(ms / z.length + 1e-8));
        float[] x = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            x[i] = z[i] * norm;
        }
        for (int l = 0; l < c.nMlp(); l++) {
            Tensor w = t.get(Names.fc(l, "weight"));
            Tensor b = t.get(Names.fc(l, "bias"));
            int out = (int) w.shape()[0];
            int in = (int) w.shape()[1];
            float gain = (float) (c.mappingLrMul() / Math.sqrt(in));
            float[] y = new float[out];
            for (int o = 0; o < out; o++) {
                double acc = 0;
                for (int i = 0; i < in; i++) {
                    acc += w.data()[o * in + i] * x[i];
                }
                double v = acc * gain + b.data()[o] * c.mappingLrMul();
                y[o] = (float) ((v < 0 ? 0.2 * v : v) * Math.sqrt(2));
            }
            x = y;
        }
        return x;
    }
}
