package io.ukiyoe.training;

/**
 * A sparse linear map between 1-D signals with a fixed number of taps per output sample
 * ({@code out[o] = sum_t weight[o*taps+t] * in[index[o*taps+t]]}), applied along the rows or the columns of a
 * plane, and its exact transpose. {@link WaveletWarp}'s separable up- and down-sampling filters (with the
 * reflection padding folded in) are such maps. Each method can be limited to a window of outputs
 * {@code [o0, o1)} (and of columns {@code [c0, c1)}): the warp computes only the upsampled pixels its bilinear
 * taps read.
 */
record Fir1d(int outLen, int inLen, int taps, int[] index, double[] weight) {

    /** {@code src} [rows, inLen] to {@code dst} [rows, outLen], outputs {@code [o0, o1)} of each row only. */
    void rows(double[] src, int rows, double[] dst, int o0, int o1) {
        for (int r = 0; r < rows; r++) {
            int si = r * inLen;
            int di = r * outLen;
            for (int o = o0; o < o1; o++) {
                double s = 0;
                for (int t = o * taps; t < (o + 1) * taps; t++) {
                    s += weight[t] * src[si + index[t]];
                }
                dst[di + o] = s;
            }
        }
    }

    void rows(double[] src, int rows, double[] dst) {
        rows(src, rows, dst, 0, outLen);
    }

    /** {@code src} [inLen, cols] to {@code dst} [outLen, cols], output rows {@code [o0, o1)} and columns {@code [c0, c1)} only. */
    void cols(double[] src, int cols, double[] dst, int o0, int o1, int c0, int c1) {
        for (int o = o0; o < o1; o++) {
            int di = o * cols;
            java.util.Arrays.fill(dst, di + c0, di + c1, 0);
            for (int t = o * taps; t < (o + 1) * taps; t++) {
                double w = weight[t];
                if (w == 0) {
                    continue;
                }
                int si = index[t] * cols;
                for (int c = c0; c < c1; c++) {
                    dst[di + c] += w * src[si + c];
                }
            }
        }
    }

    void cols(double[] src, int cols, double[] dst) {
        cols(src, cols, dst, 0, outLen, 0, cols);
    }

    /** The transpose of {@link #rows}: {@code g} [rows, outLen] (zero outside {@code [o0, o1)}) to {@code dst} [rows, inLen]. */
    void rowsAdjoint(double[] g, int rows, double[] dst, int o0, int o1) {
        java.util.Arrays.fill(dst, 0, rows * inLen, 0);
        for (int r = 0; r < rows; r++) {
            int gi = r * outLen;
            int di = r * inLen;
            for (int o = o0; o < o1; o++) {
                double v = g[gi + o];
                for (int t = o * taps; t < (o + 1) * taps; t++) {
                    dst[di + index[t]] += weight[t] * v;
                }
            }
        }
    }

    void rowsAdjoint(double[] g, int rows, double[] dst) {
        rowsAdjoint(g, rows, dst, 0, outLen);
    }

    /**
     * The transpose of {@link #cols}: {@code g} [outLen, cols] (zero outside rows {@code [o0, o1)}) to
     * {@code dst} [inLen, cols], columns {@code [c0, c1)} only.
     */
    void colsAdjoint(double[] g, int cols, double[] dst, int o0, int o1, int c0, int c1) {
        for (int i = 0; i < inLen; i++) {
            java.util.Arrays.fill(dst, i * cols + c0, i * cols + c1, 0);
        }
        for (int o = o0; o < o1; o++) {
            int gi = o * cols;
            for (int t = o * taps; t < (o + 1) * taps; t++) {
                double w = weight[t];
                if (w == 0) {
                    continue;
                }
                int di = index[t] * cols;
                for (int c = c0; c < c1; c++) {
                    dst[di + c] += w * g[gi + c];
                }
            }
        }
    }

    void colsAdjoint(double[] g, int cols, double[] dst) {
        colsAdjoint(g, cols, dst, 0, outLen, 0, cols);
    }
}
