package io.ukiyoe.graphs.stylegan2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prepared-weight map and its adjoint against the definition, value by value. */
class WeightViewTest {
    private static final int O = 5;
    private static final int I = 3;
    private static final int T = 4;
    private static final int COLS = 6;

    /** view[(m * I + i) * O + o] = scale * sum_t taps[t][m] * w[o, i, t] (the hwio/FIR layout). */
    private static float[] definition(float[] w, double[][] taps, double scale) {
        float[] v = new float[COLS * I * O];
        for (int o = 0; o < O; o++) {
            for (int i = 0; i < I; i++) {
                for (int m = 0; m < COLS; m++) {
                    double acc = 0;
                    for (int t = 0; t < T; t++) {
                        acc += taps[t][m] * w[(o * I + i) * T + t];
                    }
                    v[(m * I + i) * O + o] = (float) (scale * acc);
                }
            }
        }
        return v;
    }

    @Test
    void mapMatchesDefinitionAndAdjointIsItsTranspose() {
        Random r = new Random(3);
        double[][] taps = new double[T][COLS];
        for (int t = 0; t < T; t++) {
            for (int m = 0; m < COLS; m++) {
                taps[t][m] = r.nextInt(3) == 0 ? 0 : r.nextGaussian();   // some zeros, as in FIR tap matrices
            }
        }
        double scale = 0.37;
        WeightView view = new WeightView("p", "p@test", new long[] {COLS, I, O}, O, I, T, taps, scale,
                new WeightView.Layout(O, m -> (long) m * I * O));
        float[] w = random(r, O * I * T);
        float[] got = new float[COLS * I * O];
        view.apply(w, got);
        float[] want = definition(w, taps, scale);
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], 1e-5, "view value " + k);
        }
        // <map(w), g> = <w, map^T(g)>, and the adjoint adds to what the gradient holds
        float[] g = random(r, want.length);
        float[] gw = new float[w.length];
        gw[0] = 10;
        view.addAdjoint(g, gw);
        gw[0] -= 10;
        double lhs = 0;
        double rhs = 0;
        for (int k = 0; k < g.length; k++) {
            lhs += got[k] * g[k];
        }
        for (int k = 0; k < w.length; k++) {
            rhs += w[k] * gw[k];
        }
        assertEquals(lhs, rhs, 1e-4 * Math.abs(lhs) + 1e-5);
    }

    @Test
    void identityLayoutWithoutInputAxis() {
        WeightView view = new WeightView("c", "c@hwc", new long[] {2, 2, 3}, 3, 1, 4, null, 1,
                WeightView.Layout.columnsOf(3));
        float[] w = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};  // [C = 3, HW = 4]
        float[] out = new float[12];
        view.apply(w, out);
        assertEquals(java.util.Arrays.toString(new float[] {0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23}),
                java.util.Arrays.toString(out));
    }

    @Test
    void layoutOutsideTheViewFailsAtConstruction() {
        var e = assertThrows(IllegalStateException.class, () -> new WeightView("c", "c@bad", new long[] {2, 3}, 3, 1, 3,
                null, 1, WeightView.Layout.columnsOf(3)));
        assertEquals(true, e.getMessage().startsWith("c@bad: column 2 spans"), e.getMessage());
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) r.nextGaussian();
        }
        return a;
    }
}
