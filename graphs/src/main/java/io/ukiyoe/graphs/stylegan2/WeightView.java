package io.ukiyoe.graphs.stylegan2;

import java.util.Arrays;

/**
 * A parameter as a graph uses it — scaled (equalised learning rate), permuted into SameDiff's
 * layout, or with a FIR folded in — computed outside the graph. Every such form is linear in the
 * parameter and acts on each (output, input) channel pair alike: for a weight [O, I, taps] (a bias
 * or a constant is O values with I = 1), the view holds
 * {@code view[index(o, i, m)] = scale * sum_t taps[t][m] * w[o, i, t]} over the columns m of a small
 * tap matrix. The gradient of the parameter is the adjoint of that map applied to the view's
 * gradient, so a training graph holds the prepared tensors as its variables and none of the
 * per-use scale, permute and FIR ops (with their gradients, a third of a training step's ops).
 */
final class WeightView {
    /** Where column m of pair (o, i) lands in the view, or -1 where it does not belong to this view. */
    interface Layout {
        int index(int o, int i, int m);
    }

    final String param;             // canonical name of the parameter
    final String variable;          // name of the graph variable that holds the view
    final long[] shape;             // of the view
    private final int outs;         // O
    private final int ins;          // I
    private final int numTaps;      // taps per channel pair in the parameter
    private final int columns;      // columns of the tap matrix
    private final double scale;
    private final int[][] nonZeroColumns;   // per tap t: the columns m with taps[t][m] != 0
    private final float[][] nonZeroCoefs;
    private final int[] index;              // [(o * I + i) * columns + m] -> view index or -1

    /**
     * @param taps [numTaps][columns] coefficients, the same for every channel pair; null for the
     *             identity (columns = numTaps)
     */
    WeightView(String param, String variable, long[] shape, int outs, int ins, int numTaps, double[][] taps,
               double scale, Layout layout) {
        this.param = param;
        this.variable = variable;
        this.shape = shape.clone();
        this.outs = outs;
        this.ins = ins;
        this.numTaps = numTaps;
        this.columns = taps == null ? numTaps : taps[0].length;
        this.scale = scale;
        this.nonZeroColumns = new int[numTaps][];
        this.nonZeroCoefs = new float[numTaps][];
        for (int t = 0; t < numTaps; t++) {
            int[] cols = new int[columns];
            float[] coefs = new float[columns];
            int n = 0;
            for (int m = 0; m < columns; m++) {
                double v = taps == null ? (m == t ? 1 : 0) : taps[t][m];
                if (v != 0) {
                    cols[n] = m;
                    coefs[n++] = (float) v;
                }
            }
            nonZeroColumns[t] = Arrays.copyOf(cols, n);
            nonZeroCoefs[t] = Arrays.copyOf(coefs, n);
        }
        this.index = new int[outs * ins * columns];
        long size = 1;
        for (long s : shape) {
            size *= s;
        }
        for (int o = 0; o < outs; o++) {
            for (int i = 0; i < ins; i++) {
                for (int m = 0; m < columns; m++) {
                    int at = layout.index(o, i, m);
                    if (at >= size) {
                        throw new IllegalStateException(variable + ": layout index " + at + " outside " + Arrays.toString(shape));
                    }
                    index[(o * ins + i) * columns + m] = at;
                }
            }
        }
    }

    /** Whether this view scales by {@code other} (the layout goes with the variable's name). */
    boolean sameMap(double other) {
        return scale == other;
    }

    /** Number of values of the view. */
    int size() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return (int) n;
    }

    /** Number of values of the parameter. */
    int paramSize() {
        return outs * ins * numTaps;
    }

    /** view = map(w); {@code out} is overwritten. */
    void apply(float[] w, float[] out) {
        check(w.length, paramSize(), "parameter");
        check(out.length, size(), "view");
        Arrays.fill(out, 0f);
        for (int p = 0; p < outs * ins; p++) {
            int base = p * columns;
            for (int t = 0; t < numTaps; t++) {
                float wv = (float) (w[p * numTaps + t] * scale);
                int[] cols = nonZeroColumns[t];
                float[] coefs = nonZeroCoefs[t];
                for (int j = 0; j < cols.length; j++) {
                    int at = index[base + cols[j]];
                    if (at >= 0) {
                        out[at] += coefs[j] * wv;
                    }
                }
            }
        }
    }

    /** grad_w += map^T(grad_view). */
    void addAdjoint(float[] gradView, float[] gradParam) {
        check(gradView.length, size(), "view gradient");
        check(gradParam.length, paramSize(), "parameter gradient");
        for (int p = 0; p < outs * ins; p++) {
            int base = p * columns;
            for (int t = 0; t < numTaps; t++) {
                int[] cols = nonZeroColumns[t];
                float[] coefs = nonZeroCoefs[t];
                double acc = 0;
                for (int j = 0; j < cols.length; j++) {
                    int at = index[base + cols[j]];
                    if (at >= 0) {
                        acc += coefs[j] * gradView[at];
                    }
                }
                gradParam[p * numTaps + t] += (float) (acc * scale);
            }
        }
    }

    private void check(int got, int want, String what) {
        if (got != want) {
            throw new IllegalArgumentException(variable + ": " + what + " has " + got + " values, expected " + want);
        }
    }
}
