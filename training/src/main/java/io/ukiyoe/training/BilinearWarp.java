package io.ukiyoe.training;

import io.ukiyoe.data.Resample;

/**
 * Bilinear resampling with mirrored borders: every output pixel reads four input pixels. Exact for flips,
 * quarter turns and integer shifts; {@link PairAugment} uses it (ADA uses {@link WaveletWarp}).
 */
final class BilinearWarp implements Warp {
    private static final int TAPS = 4;
    private final int res;
    /** For pixel e of a plane of sample b: taps {@code index[b][4e..4e+3]} with weights {@code weight[b][4e..]}. */
    private final int[][] index;
    private final float[][] weight;

    /** One geometric transform per sample (3x3, output -> input pixel, centred coordinates) on R x R images. */
    BilinearWarp(int res, double[][][] geometric) {
        int batch = geometric.length;
        this.res = res;
        this.index = new int[batch][res * res * TAPS];
        this.weight = new float[batch][res * res * TAPS];
        for (int b = 0; b < batch; b++) {
            taps(geometric[b], index[b], weight[b]);
        }
    }

    private void taps(double[][] g, int[] index, float[] weight) {
        double half = res / 2.0;
        for (int y = 0; y < res; y++) {
            for (int x = 0; x < res; x++) {
                double cx = x + 0.5 - half;
                double cy = y + 0.5 - half;
                double px = g[0][0] * cx + g[0][1] * cy + g[0][2] + half - 0.5;
                double py = g[1][0] * cx + g[1][1] * cy + g[1][2] + half - 0.5;
                // snap values within rounding error of an integer, so exact transforms stay exact
                double rx = Math.rint(px);
                double ry = Math.rint(py);
                px = Math.abs(px - rx) < 1e-9 ? rx : px;
                py = Math.abs(py - ry) < 1e-9 ? ry : py;
                int x0 = (int) Math.floor(px);
                int y0 = (int) Math.floor(py);
                double fx = px - x0;
                double fy = py - y0;
                int[] xs = {Resample.reflect(x0, res), Resample.reflect(x0 + 1, res)};
                int[] ys = {Resample.reflect(y0, res), Resample.reflect(y0 + 1, res)};
                double[] w = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
                int e = (y * res + x) * TAPS;
                for (int t = 0; t < TAPS; t++) {
                    index[e + t] = ys[t / 2] * res + xs[t % 2];
                    weight[e + t] = (float) w[t];
                }
            }
        }
    }

    @Override
    public float[] apply(float[] in, int channels) {
        return Planes.each(in, channels, res * res, (b, x, y) -> {
            for (int e = 0; e < y.length; e++) {
                double s = 0;
                for (int t = e * TAPS; t < (e + 1) * TAPS; t++) {
                    s += weight[b][t] * x[index[b][t]];
                }
                y[e] = s;
            }
        });
    }

    @Override
    public float[] adjoint(float[] g, int channels) {
        return Planes.each(g, channels, res * res, (b, gy, x) -> {
            java.util.Arrays.fill(x, 0);
            for (int e = 0; e < gy.length; e++) {
                for (int t = e * TAPS; t < (e + 1) * TAPS; t++) {
                    x[index[b][t]] += weight[b][t] * gy[e];
                }
            }
        });
    }
}
