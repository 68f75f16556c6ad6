package io.ukiyoe.graphs.vision;

/**
 * torch {@code F.interpolate(x, size, mode='bilinear', align_corners=False)} (no antialiasing) on
 * float32 NCHW data, bit for bit as ATen's CPU kernel computes it: the scale {@code in / out} in float32,
 * the source index {@code max((o + 0.5) * scale - 0.5, 0)} in double, the weights {@code l1 = (float)
 * (src - i0)}, {@code l0 = 1 - l1} in float32, and each 2-tap sum as one fused multiply-add
 * {@code fma(a, l0, b * l1)}, first along the width, then the height.
 *
 * <p>Why bit-exact rather than SameDiff's {@code resizeBilinear} or two matrix products: the FID
 * Inception amplifies a last-bit difference in its input about a hundredfold by Mixed_7c, which alone
 * would use up most of the 1e-4 agreement with pytorch-fid's features. Done on the host: it is a
 * few multiply-adds per pixel, and a 299x299 input needs none (torch's weights are then exactly 1 and 0).
 */
public final class BilinearResize {
    private BilinearResize() {}

    /** The two taps and weights of every output position along one axis. */
    record Taps(int[] i0, int[] i1, float[] l0, float[] l1) {
        static Taps of(int in, int out) {
            float scale = (float) in / out;
            Taps t = new Taps(new int[out], new int[out], new float[out], new float[out]);
            for (int o = 0; o < out; o++) {
                double src = Math.max(scale * (o + 0.5) - 0.5, 0);
                int i0 = Math.min((int) Math.floor(src), in - 1);
                float l1 = (float) Math.min(Math.max(src - i0, 0), 1);
                t.i0[o] = i0;
                t.i1[o] = Math.min(i0 + 1, in - 1);
                t.l1[o] = l1;
                t.l0[o] = 1f - l1;
            }
            return t;
        }
    }

    /** Resizes {@code planes} planes of {@code h x w} (C order, plane after plane) to {@code outH x outW}. */
    public static float[] resize(float[] x, long planes, int h, int w, int outH, int outW) {
        if (x.length != planes * h * w) {
            throw new IllegalArgumentException(planes + " planes of " + h + "x" + w + " need " + planes * h * w
                    + " values, got " + x.length);
        }
        Taps rows = Taps.of(h, outH);
        Taps cols = Taps.of(w, outW);
        float[] out = new float[Math.toIntExact(planes * outH * outW)];
        float[] t0 = new float[outW];
        float[] t1 = new float[outW];
        for (long p = 0; p < planes; p++) {
            int in = Math.toIntExact(p * h * w);
            int o = Math.toIntExact(p * outH * outW);
            for (int r = 0; r < outH; r++) {
                row(x, in + rows.i0[r] * w, cols, t0);
                row(x, in + rows.i1[r] * w, cols, t1);
                float h0 = rows.l0[r];
                float h1 = rows.l1[r];
                for (int c = 0; c < outW; c++) {
                    out[o + r * outW + c] = Math.fma(t0[c], h0, t1[c] * h1);
                }
            }
        }
        return out;
    }

    private static void row(float[] x, int start, Taps cols, float[] dst) {
        for (int c = 0; c < dst.length; c++) {
            dst[c] = Math.fma(x[start + cols.i0[c]], cols.l0[c], x[start + cols.i1[c]] * cols.l1[c]);
        }
    }
}
