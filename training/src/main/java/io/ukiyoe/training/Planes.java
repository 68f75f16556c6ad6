package io.ukiyoe.training;

/** Runs a per-plane linear map over every (sample, channel) plane of a flattened batch [B, C, H, W], in float64. */
final class Planes {
    /** Maps one plane {@code in} of sample b into {@code out} (both H x W). */
    interface Op {
        void run(int b, double[] in, double[] out);
    }

    private Planes() {}

    static float[] each(float[] in, int channels, int plane, Op op) {
        double[] x = new double[plane];
        double[] y = new double[plane];
        float[] result = new float[in.length];
        for (int p = 0; p < in.length / plane; p++) {
            int base = p * plane;
            for (int i = 0; i < plane; i++) {
                x[i] = in[base + i];
            }
            op.run(p / channels, x, y);
            for (int i = 0; i < plane; i++) {
                result[base + i] = (float) y[i];
            }
        }
        return result;
    }
}
