package io.ukiyoe.eval;

import io.ukiyoe.data.Structure;

/**
 * A small yaw estimator for the synthetic face domains: ridge regression from a 16x16 luminance
 * image and its horizontal gradient to the yaw label of {@code data synth}. It is trained on both
 * domains, so it measures pose across them (how far a blend moved the head), not realism.
 */
public final class YawRegressor {
    static final int SIDE = 16;
    private final double[] weights;
    private final double bias;

    private YawRegressor(double[] weights, double bias) {
        this.weights = weights;
        this.bias = bias;
    }

    public static double[] features(float[] chw, int n) {
        float[] small = Structure.downsample(chw, n, SIDE);
        float[] lum = Structure.luminance(small, SIDE);
        double[] f = new double[2 * SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                f[y * SIDE + x] = lum[y * SIDE + x];
                f[SIDE * SIDE + y * SIDE + x] = x + 1 < SIDE ? lum[y * SIDE + x + 1] - lum[y * SIDE + x] : 0;
            }
        }
        return f;
    }

    /** Fits weights by ridge regression (normal equations, Cholesky) on features and yaw labels. */
    public static YawRegressor fit(double[][] x, double[] yaw, double lambda) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double ym = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i][j] / n;
            }
            ym += yaw[i] / n;
        }
        double[][] a = new double[d][d];
        double[] b = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double xj = x[i][j] - mean[j];
                b[j] += xj * (yaw[i] - ym);
                for (int k = j; k < d; k++) {
                    a[j][k] += xj * (x[i][k] - mean[k]);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            a[j][j] += lambda;
            for (int k = 0; k < j; k++) {
                a[j][k] = a[k][j];
            }
        }
        double[] w = solve(a, b);
        double bias = ym;
        for (int j = 0; j < d; j++) {
            bias -= w[j] * mean[j];
        }
        return new YawRegressor(w, bias);
    }

    private static double[] solve(double[][] a, double[] b) {
        int d = b.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j][j];
            }
        }
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < d; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    public double predict(double[] f) {
        double s = bias;
        for (int j = 0; j < weights.length; j++) {
            s += weights[j] * f[j];
        }
        return s;
    }
}
