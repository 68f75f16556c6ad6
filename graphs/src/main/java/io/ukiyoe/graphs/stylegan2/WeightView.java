package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.core.io.Tensor;
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
    /**
     * Where column m of pair (o, i) lands in the view: {@code columnOffset(m) + i * inStride + o}.
     * Every layout SameDiff's ops take keeps the output channel innermost, so the maps below run over
     * contiguous rows of O values (no per-value index table, which would be as large as the view).
     */
    record Layout(long inStride, java.util.function.IntToLongFunction columnOffset) {
        /** A layout with no input-channel axis (I = 1), column m at {@code m * outs}. */
        static Layout columnsOf(int outs) {
            return new Layout(0, m -> (long) m * outs);
        }
    }

    final String param;             // canonical name of the parameter
    final String variable;          // name of the graph variable that holds the view
    final long[] shape;             // of the view
    private final int outs;         // O
    private final int ins;          // I
    private final int numTaps;      // taps per channel pair in the parameter
    private final double scale;
    private final int[][] nonZeroColumns;   // per tap t: the columns m with taps[t][m] != 0
    private final float[][] nonZeroCoefs;
    private final int inStride;             // view index step per input channel
    private final int[] columnOffset;       // view index of (o = 0, i = 0) per column

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
        int columns = taps == null ? numTaps : taps[0].length;
        this.scale = scale;
        this.nonZeroColumns = new int[numTaps][];
        this.nonZeroCoefs = new float[numTaps][];
        for (int t = 0; t < numTaps; t++) {
            if (taps == null) {
                nonZeroColumns[t] = new int[] {t};
                nonZeroCoefs[t] = new float[] {1};
                continue;
            }
            int[] cols = new int[columns];
            float[] coefs = new float[columns];
            int n = 0;
            for (int m = 0; m < columns; m++) {
                if (taps[t][m] != 0) {
                    cols[n] = m;
                    coefs[n++] = (float) taps[t][m];
                }
            }
            nonZeroColumns[t] = Arrays.copyOf(cols, n);
            nonZeroCoefs[t] = Arrays.copyOf(coefs, n);
        }
        long size = Tensor.numel(shape);
        this.inStride = Math.toIntExact(layout.inStride());
        this.columnOffset = new int[columns];
        for (int m = 0; m < columns; m++) {
            long at = layout.columnOffset().applyAsLong(m);
            long last = at + (long) (ins - 1) * inStride + outs - 1;
            if (at < 0 || last >= size) {
                throw new IllegalStateException(variable + ": column " + m + " spans view indices " + at + ".." + last
                        + " outside " + Arrays.toString(shape));
            }
            columnOffset[m] = (int) at;
        }
    }

    /** Whether this view scales by {@code other} (the layout goes with the variable's name). */
    boolean sameMap(double other) {
        return scale == other;
    }

    /** Number of values of the view. */
    int size() {
        return Math.toIntExact(Tensor.numel(shape));
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
        mapRows(tapMajor(w), out, true);
    }

    /** grad_w += map^T(grad_view). */
    void addAdjoint(float[] gradView, float[] gradParam) {
        check(gradView.length, size(), "view gradient");
        check(gradParam.length, paramSize(), "parameter gradient");
        float[] gt = scratch(paramSize());
        Arrays.fill(gt, 0, paramSize(), 0f);
        mapRows(gradView, gt, false);
        transpose(gt, gradParam, false);
    }

    /**
     * For every tap t, its non-zero coefficients c = taps[t][m] and every input channel i, a row of O
     * values: view row (m, i) += c * tap-major row (t, i) ({@code toView}), or the reverse (the adjoint).
     */
    private void mapRows(float[] from, float[] into, boolean toView) {
        for (int t = 0; t < numTaps; t++) {
            int[] cols = nonZeroColumns[t];
            float[] coefs = nonZeroCoefs[t];
            for (int j = 0; j < cols.length; j++) {
                float c = coefs[j];
                int base = columnOffset[cols[j]];
                for (int i = 0; i < ins; i++) {
                    int view = base + i * inStride;
                    int tapRow = (t * ins + i) * outs;
                    int src = toView ? tapRow : view;
                    int dst = toView ? view : tapRow;
                    for (int o = 0; o < outs; o++) {
                        into[dst + o] += c * from[src + o];
                    }
                }
            }
        }
    }

    private static final int BLOCK = 64;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** scale * w in [taps, I, O] order (rows of O values), in a per-thread scratch array. */
    private float[] tapMajor(float[] w) {
        float[] wt = scratch(paramSize());
        transpose(w, wt, true);
        return wt;
    }

    /**
     * Between the parameter's [O, I, taps] order and the tap-major [taps, I, O], times the scale:
     * {@code toTapMajor} overwrites the tap-major rows, otherwise it adds to the parameter's values.
     * In blocks of output channels, so that the strided side stays in cache.
     */
    private void transpose(float[] from, float[] into, boolean toTapMajor) {
        float s = (float) scale;
        for (int o0 = 0; o0 < outs; o0 += BLOCK) {
            int o1 = Math.min(outs, o0 + BLOCK);
            for (int t = 0; t < numTaps; t++) {
                for (int i = 0; i < ins; i++) {
                    int row = (t * ins + i) * outs;
                    for (int o = o0; o < o1; o++) {
                        int param = (o * ins + i) * numTaps + t;
                        if (toTapMajor) {
                            into[row + o] = s * from[param];
                        } else {
                            into[param] += s * from[row + o];
                        }
                    }
                }
            }
        }
    }

    private static float[] scratch(int n) {
        float[] a = SCRATCH.get();
        if (a.length < n) {
            a = new float[n];
            SCRATCH.set(a);
        }
        return a;
    }

    private void check(int got, int want, String what) {
        if (got != want) {
            throw new IllegalArgumentException(variable + ": " + what + " has " + got + " values, expected " + want);
        }
    }
}
