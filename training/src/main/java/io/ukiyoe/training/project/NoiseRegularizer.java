package io.ukiyoe.training.project;

/**
 * projector.py's noise regularisation, value and gradient, on the host: for each noise map, over its
 * pyramid (2x2 average pools down to 8x8), the squared mean products with the map rolled by one pixel
 * horizontally and vertically (circularly: {@code torch.roll(n, 1)}). Keeps the optimised maps from
 * carrying image structure.
 */
public final class NoiseRegularizer {
    private NoiseRegularizer() {}

    /**
     * The penalty of one square map {@code n} [r * r] (row-major); when {@code grad} is not null, adds
     * {@code weight * d penalty / d n} to it.
     */
    public static double penalty(float[] n, int r, float[] grad, double weight) {
        if (n.length != r * r) {
            throw new IllegalArgumentException("noise map of " + n.length + " values is not " + r + "x" + r);
        }
        // the pyramid, finest first
        java.util.List<double[]> levels = new java.util.ArrayList<>();
        double[] a = new double[n.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = n[i];
        }
        int size = r;
        levels.add(a);
        while (size > 8) {
            int h = size / 2;
            double[] b = new double[h * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < h; x++) {
                    b[y * h + x] = (a[2 * y * size + 2 * x] + a[2 * y * size + 2 * x + 1]
                            + a[(2 * y + 1) * size + 2 * x] + a[(2 * y + 1) * size + 2 * x + 1]) / 4;
                }
            }
            a = b;
            size = h;
            levels.add(a);
        }
        double loss = 0;
        double[] up = null;                       // gradient arriving from the coarser level
        for (int l = levels.size() - 1; l >= 0; l--) {
            double[] v = levels.get(l);
            int s = r >> l;
            double count = (double) s * s;
            double mw = 0;
            double mh = 0;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    double c = v[y * s + x];
                    mw += c * v[y * s + Math.floorMod(x - 1, s)];
                    mh += c * v[Math.floorMod(y - 1, s) * s + x];
                }
            }
            mw /= count;
            mh /= count;
            loss += mw * mw + mh * mh;
            if (grad == null) {
                continue;
            }
            double[] g = new double[s * s];
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    double left = v[y * s + Math.floorMod(x - 1, s)] + v[y * s + Math.floorMod(x + 1, s)];
                    double vert = v[Math.floorMod(y - 1, s) * s + x] + v[Math.floorMod(y + 1, s) * s + x];
                    g[y * s + x] = 2 * mw * left / count + 2 * mh * vert / count;
                    if (up != null) {
                        g[y * s + x] += up[(y / 2) * (s / 2) + x / 2] / 4;
                    }
                }
            }
            up = g;
        }
        if (grad != null) {
            for (int i = 0; i < grad.length; i++) {
                grad[i] += (float) (weight * up[i]);
            }
        }
        return loss;
    }

    /** projector.py's noise_normalize_: each map to zero mean and unit (unbiased, N - 1) std, in place. */
    public static void normalize(float[] n) {
        double mean = 0;
        for (float v : n) {
            mean += v;
        }
        mean /= n.length;
        double ss = 0;
        for (float v : n) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / (n.length - 1));
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) ((n[i] - mean) / std);
        }
    }
}
