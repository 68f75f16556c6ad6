package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.io.Tensor;

/** The [1,3,3,1] FIR filter every supported checkpoint uses; stored filters are checked against it. */
final class Fir {
    private Fir() {}

    /** outer([1,3,3,1]) / 64 times {@code gain}, row-major [4,4]. */
    static float[] standard(float gain) {
        float[] k = {1, 3, 3, 1};
        float[] f = new float[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                f[i * 4 + j] = k[i] * k[j] / 64f * gain;
            }
        }
        return f;
    }

    /** True when {@code t} is the standard filter times 1 or 4 (rosinality stores up-filters x4). */
    static boolean isStandard(Tensor t) {
        if (t.numel() != 16) {
            return false;
        }
        for (float gain : new float[] {1, 4}) {
            float[] f = standard(gain);
            boolean ok = true;
            for (int i = 0; i < 16; i++) {
                ok &= Math.abs(f[i] - t.data()[i]) <= 1e-6f * gain;
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }
}
