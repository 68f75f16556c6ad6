package io.ukiyoe.training;

/**
 * A sparse linear map between 1-D signals with a fixed number of taps per output sample
 * ({@code out[o] = sum_t weight[o*taps+t] * in[index[o*taps+t]]}), applied along the rows or the columns of a
 * plane, and its exact transpose. {@link WaveletWarp}'s separable up- and down-sampling filters (with the
 * reflection padding folded in) are such maps.
 */
record Fir1d(int outLen, int inLen, int taps, int[] index, double[] weight) {

    /** {@code src} [rows, inLen] to {@code dst} [rows, outLen]. */
    void rows(double[] src, int rows, double[] dst) {
        for (int r = 0; r < rows; r++) {
            int si = r * inLen;
            int di = r * outLen;
            for (int o = 0; o < outLen; o++) {
                double s = 0;
                for (int t = o * taps; t < (o + 1) * taps; t++) {
                    s += weight[t] * src[si + index[t]];
                }
                dst[di + o] = s;
            }
        }
    }

    /** {@code src} [inLen, cols] to {@code dst} [outLen, cols]. */
    void cols(double[] src, int cols, double[] dst) {
        java.util.Arrays.fill(dst, 0, outLen * cols, 0);
        for (int o = 0; o < outLen; o++) {
            int di = o * cols;
            for (int t = o * taps; t < (o + 1) * taps; t++) {
                double w = weight[t];
                if (w == 0) {
                    continue;
                }
                int si = index[t] * cols;
                for (int c = 0; c < cols; c++) {
                    dst[di + c] += w * src[si + c];
                }
            }
        }
    }

    /** The transpose of {@link #rows}: {@code g} [rows, outLen] to {@code dst} [rows, inLen]. */
    void rowsAdjoint(double[] g, int rows, double[] dst) {
        java.util.Arrays.fill(dst, 0, rows * inLen, 0);
        for (int r = 0; r < rows; r++) {
            int gi = r * outLen;
            int di = r * inLen;
            for (int o = 0; o < outLen; o++) {
                double v = g[gi + o];
                for (int t = o * taps; t < (o + 1) * taps; t++) {
                    dst[di + index[t]] += weight[t] * v;
                }
            }
        }
    }

    /** The transpose of {@link #cols}: {@code g} [outLen, cols] to {@code dst} [inLen, cols]. */
    void colsAdjoint(double[] g, int cols, double[] dst) {
        java.util.Arrays.fill(dst, 0, inLen * cols, 0);
        for (int o = 0; o < outLen; o++) {
            int gi = o * cols;
            for (int t = o * taps; t < (o + 1) * taps; t++) {
                double w = weight[t];
                if (w == 0) {
                    continue;
                }
                int di = index[t] * cols;
                for (int c = 0; c < cols; c++) {
                    dst[di + c] += w * g[gi + c];
                }
            }
        }
    }
}
