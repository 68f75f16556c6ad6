package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adam in float32 as PyTorch computes it, over tensors cut into parallel chunks. */
class AdamTest {
    private static final double LR = 0.002;
    private static final double BETA1 = 0.5;
    private static final double BETA2 = 0.99;
    private static final double EPS = 1e-8;

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void stepsFollowTorchsFormulaOnTensorsLargerThanAChunk() {
        Random r = new Random(7);
        int big = 3 * Chunks.CHUNK + 11;                   // several chunks, the last one short
        Map<String, float[]> params = new LinkedHashMap<>();
        params.put("big", gaussian(r, big));
        params.put("small", gaussian(r, 5));
        Map<String, double[]> p = new LinkedHashMap<>();
        Map<String, double[]> m = new LinkedHashMap<>();
        Map<String, double[]> v = new LinkedHashMap<>();
        params.forEach((k, a) -> {
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                d[i] = a[i];
            }
            p.put(k, d);
            m.put(k, new double[a.length]);
            v.put(k, new double[a.length]);
        });
        Adam adam = new Adam(LR, BETA1, BETA2, EPS);
        for (int t = 1; t <= 3; t++) {
            Map<String, float[]> grads = new LinkedHashMap<>();
            params.forEach((k, a) -> grads.put(k, gaussian(r, a.length)));
            adam.update(params, grads);
            double bc1 = 1 - Math.pow(BETA1, t);
            double bc2 = Math.sqrt(1 - Math.pow(BETA2, t));
            for (String k : params.keySet()) {           // torch.optim.Adam, in double
                double[] pk = p.get(k), mk = m.get(k), vk = v.get(k);
                float[] g = grads.get(k);
                for (int i = 0; i < pk.length; i++) {
                    mk[i] = BETA1 * mk[i] + (1 - BETA1) * g[i];
                    vk[i] = BETA2 * vk[i] + (1 - BETA2) * g[i] * g[i];
                    pk[i] -= LR / bc1 * mk[i] / (Math.sqrt(vk[i]) / bc2 + EPS);
                }
            }
        }
        for (String k : params.keySet()) {
            float[] got = params.get(k);
            double[] want = p.get(k);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 1e-6 * Math.max(1, Math.abs(want[i])), k + " at " + i);
            }
        }
        assertEquals(3, adam.steps());
    }

    @Test
    void theSameValuesOnOneThreadAsOnMany() throws Exception {
        float[][] results = new float[2][];
        for (int run = 0; run < 2; run++) {
            Random r = new Random(11);
            Map<String, float[]> params = Map.of("w", gaussian(r, 4 * Chunks.CHUNK + 3));
            Adam adam = new Adam(LR, 0, BETA2, EPS);
            java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
            for (int t = 0; t < 2; t++) {
                Map<String, float[]> grads = Map.of("w", gaussian(r, 4 * Chunks.CHUNK + 3));
                if (run == 0) {
                    adam.update(params, grads);                           // the common pool
                } else {
                    one.submit(() -> adam.update(params, grads)).get();   // its tasks on one thread
                }
            }
            one.shutdown();
            results[run] = params.get("w");
        }
        assertArrayEquals(results[0], results[1]);
    }
}
