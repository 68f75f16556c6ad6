package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.stylegan2.fast.Polyphase;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The form in which a synthesis conv runs on NHWC maps, and so the layout of its kernel. All upsampling
 * forms compute the same thing as the reference's (transposed conv, stride 2, then the [1,3,3,1] FIR with
 * pad (1,1) and gain 4); {@link Weights#upConv} picks the one that is fastest for its weight form.
 */
public enum ConvForm {
    /** Stride-1 k x k conv with padding k / 2; kernel [k, k, I, O]. */
    SAME,
    /** The reference: transposed 3x3 conv, stride 2, then the blur; kernel [3, 3, O, I]. */
    TRANSPOSED_UP,
    /** Two row-phase 2x2 convs and a small blur ({@link Polyphase#upConvNhwc}); kernels even rows, odd rows. */
    POLYPHASE_UP,
    /** One 3x3 conv to all four phases, the FIR folded in ({@link Polyphase#upConvFoldedNhwc}). */
    FOLDED_UP,
    /**
     * {@link #POLYPHASE_UP} (the same kernels) with its blur as two 2x2 average pools: for training
     * graphs, where libnd4j's gradient of the depthwise conv is 30x its forward pass.
     */
    POLYPHASE_POOLED_UP;

    /** Whether the kernels are {@link #POLYPHASE_UP}'s row kernels. */
    public boolean polyphase() {
        return this == POLYPHASE_UP || this == POLYPHASE_POOLED_UP;
    }

    public boolean up() {
        return this != SAME;
    }

    /** x [N, H, W, Cin] -> [N, H, W, Cout] or, upsampling, [N, 2H, 2W, Cout]. */
    SDVariable apply(SameDiff sd, SDVariable x, SDVariable[] kernels, int k, long inRes, long cout) {
        return switch (this) {
            case SAME -> Ops.convNhwc(sd, x, kernels[0], k, k / 2);
            case TRANSPOSED_UP -> Ops.blurNhwc(sd, Ops.convTransposeStride2Nhwc(sd, x, kernels[0], k), cout, 1, 1, 4);
            case POLYPHASE_UP -> Polyphase.upConvNhwc(sd, x, kernels, inRes, cout, false);
            case POLYPHASE_POOLED_UP -> Polyphase.upConvNhwc(sd, x, kernels, inRes, cout, true);
            case FOLDED_UP -> Polyphase.upConvFoldedNhwc(sd, x, kernels[0], inRes, cout);
        };
    }
}
