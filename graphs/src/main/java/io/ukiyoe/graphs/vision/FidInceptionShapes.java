package io.ukiyoe.graphs.vision;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NetworkFile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The conv shapes of the FID Inception ({@code [out, in, kh, kw]} per BasicConv2d, upstream names), for
 * a network of the right size without the real weights: benchmarks, and tests that only need shapes.
 */
public final class FidInceptionShapes {
    private FidInceptionShapes() {}

    /** Every BasicConv2d, in state-dict order. */
    public static Map<String, long[]> convs() {
        Map<String, long[]> c = new LinkedHashMap<>();
        c.put("Conv2d_1a_3x3", new long[] {32, 3, 3, 3});
        c.put("Conv2d_2a_3x3", new long[] {32, 32, 3, 3});
        c.put("Conv2d_2b_3x3", new long[] {64, 32, 3, 3});
        c.put("Conv2d_3b_1x1", new long[] {80, 64, 1, 1});
        c.put("Conv2d_4a_3x3", new long[] {192, 80, 3, 3});
        long[][] a = {{192, 32}, {256, 64}, {288, 64}};          // in channels, pool features
        String[] aNames = {"Mixed_5b", "Mixed_5c", "Mixed_5d"};
        for (int i = 0; i < 3; i++) {
            String p = aNames[i] + ".";
            long in = a[i][0];
            c.put(p + "branch1x1", new long[] {64, in, 1, 1});
            c.put(p + "branch5x5_1", new long[] {48, in, 1, 1});
            c.put(p + "branch5x5_2", new long[] {64, 48, 5, 5});
            c.put(p + "branch3x3dbl_1", new long[] {64, in, 1, 1});
            c.put(p + "branch3x3dbl_2", new long[] {96, 64, 3, 3});
            c.put(p + "branch3x3dbl_3", new long[] {96, 96, 3, 3});
            c.put(p + "branch_pool", new long[] {a[i][1], in, 1, 1});
        }
        c.put("Mixed_6a.branch3x3", new long[] {384, 288, 3, 3});
        c.put("Mixed_6a.branch3x3dbl_1", new long[] {64, 288, 1, 1});
        c.put("Mixed_6a.branch3x3dbl_2", new long[] {96, 64, 3, 3});
        c.put("Mixed_6a.branch3x3dbl_3", new long[] {96, 96, 3, 3});
        String[] cNames = {"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"};
        long[] c7s = {128, 160, 160, 192};
        for (int i = 0; i < 4; i++) {
            String p = cNames[i] + ".";
            long c7 = c7s[i];
            c.put(p + "branch1x1", new long[] {192, 768, 1, 1});
            c.put(p + "branch7x7_1", new long[] {c7, 768, 1, 1});
            c.put(p + "branch7x7_2", new long[] {c7, c7, 1, 7});
            c.put(p + "branch7x7_3", new long[] {192, c7, 7, 1});
            c.put(p + "branch7x7dbl_1", new long[] {c7, 768, 1, 1});
            c.put(p + "branch7x7dbl_2", new long[] {c7, c7, 7, 1});
            c.put(p + "branch7x7dbl_3", new long[] {c7, c7, 1, 7});
            c.put(p + "branch7x7dbl_4", new long[] {c7, c7, 7, 1});
            c.put(p + "branch7x7dbl_5", new long[] {192, c7, 1, 7});
            c.put(p + "branch_pool", new long[] {192, 768, 1, 1});
        }
        c.put("Mixed_7a.branch3x3_1", new long[] {192, 768, 1, 1});
        c.put("Mixed_7a.branch3x3_2", new long[] {320, 192, 3, 3});
        c.put("Mixed_7a.branch7x7x3_1", new long[] {192, 768, 1, 1});
        c.put("Mixed_7a.branch7x7x3_2", new long[] {192, 192, 1, 7});
        c.put("Mixed_7a.branch7x7x3_3", new long[] {192, 192, 7, 1});
        c.put("Mixed_7a.branch7x7x3_4", new long[] {192, 192, 3, 3});
        String[] eNames = {"Mixed_7b", "Mixed_7c"};
        long[] eIn = {1280, 2048};
        for (int i = 0; i < 2; i++) {
            String p = eNames[i] + ".";
            long in = eIn[i];
            c.put(p + "branch1x1", new long[] {320, in, 1, 1});
            c.put(p + "branch3x3_1", new long[] {384, in, 1, 1});
            c.put(p + "branch3x3_2a", new long[] {384, 384, 1, 3});
            c.put(p + "branch3x3_2b", new long[] {384, 384, 3, 1});
            c.put(p + "branch3x3dbl_1", new long[] {448, in, 1, 1});
            c.put(p + "branch3x3dbl_2", new long[] {384, 448, 3, 3});
            c.put(p + "branch3x3dbl_3a", new long[] {384, 384, 1, 3});
            c.put(p + "branch3x3dbl_3b", new long[] {384, 384, 3, 1});
            c.put(p + "branch_pool", new long[] {192, in, 1, 1});
        }
        return c;
    }

    /**
     * A model file of this shape with random weights: He-normal convs, identity BatchNorm statistics
     * (running mean 0, variance 1, gamma 1, beta 0), a 1008-way fc: for timing, not for metrics.
     */
    public static NetworkFile random(long seed) {
        Random rng = new Random(seed);
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        convs().forEach((name, shape) -> {
            String p = name.replace('.', '/');
            Tensor w = Tensor.zeros(shape);
            double std = Math.sqrt(2.0 / (shape[1] * shape[2] * shape[3]));
            for (int i = 0; i < w.data().length; i++) {
                w.data()[i] = (float) (rng.nextGaussian() * std);
            }
            t.put(p + "/conv/weight", w);
            t.put(p + "/bn/weight", filled(shape[0], 1));
            t.put(p + "/bn/bias", filled(shape[0], 0));
            t.put(p + "/bn/running_mean", filled(shape[0], 0));
            t.put(p + "/bn/running_var", filled(shape[0], 1));
        });
        t.put("fc/weight", Tensor.zeros(1008, 2048));
        t.put("fc/bias", Tensor.zeros(1008));
        return new NetworkFile(FidInceptionFamily.FORMAT, FidInceptionFamily.VERSION, FidInceptionFamily.CONFIG, t,
                new LinkedHashMap<>(Map.of("provenance", "random weights for benchmarks (FidInceptionShapes.random)")));
    }

    private static Tensor filled(long n, float v) {
        Tensor t = Tensor.zeros(n);
        java.util.Arrays.fill(t.data(), v);
        return t;
    }
}
