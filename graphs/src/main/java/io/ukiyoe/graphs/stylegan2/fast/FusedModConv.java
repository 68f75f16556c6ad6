package io.ukiyoe.graphs.stylegan2.fast;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The references' fused modulated conv for inference batches of one: the style s [1, Cin] and the
 * demodulation d [1, Cout] are folded into the conv's kernels, sparing two passes over each large map
 * for a pass over the (there smaller) weights. Equal to scaling the input by s and the output by d.
 */
public final class FusedModConv {
    /** Output resolution from which single-sample graphs fold styles into their conv kernels. */
    public static final int MIN_RES = 128;

    private FusedModConv() {}

    /** Whether a single-sample graph fuses its convs at output resolution {@code res}. */
    public static boolean fuses(int res) {
        return res >= MIN_RES;
    }

    /**
     * Kernels [k, k, Cin, Cout], polyphase row kernels [k, k, Cin, (column phase, Cout)] ({@code rowPhases}),
     * or, {@code transposed}, [k, k, Cout, Cin], times s on the input channels and d (null: none) on the
     * output channels.
     */
    public static SDVariable[] modulate(SameDiff sd, SDVariable[] kernels, SDVariable s, SDVariable d,
                                        boolean transposed, boolean rowPhases, long cin, long cout) {
        SDVariable[] out = new SDVariable[kernels.length];
        for (int i = 0; i < kernels.length; i++) {
            if (transposed) {
                out[i] = kernels[i].mul(s.reshape(1, 1, 1, cin)).mul(d.reshape(1, 1, cout, 1));
                continue;
            }
            SDVariable k = kernels[i].mul(s.reshape(1, 1, cin, 1));
            if (d != null) {
                SDVariable dd = rowPhases ? sd.concat(1, d, d) : d;             // (column phase, Cout)
                k = k.mul(dd.reshape(1, 1, 1, rowPhases ? 2 * cout : cout));
            }
            out[i] = k;
        }
        return out;
    }
}
