package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.Layers.Layout;
import io.ukiyoe.graphs.layers.TorchWeights;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The one seam between the pix2pixHD graphs and how their convs run. Trainable graphs use
 * {@link Layers#conv2d} (the torch weight permuted in the graph, so its gradient is the torch tensor's).
 * Inference graphs take the weight laid out as SameDiff's [kh, kw, I, O] once, when the graph is built:
 * no permute and no copy of every weight on every pass (at 512 px the global generator's 730 MB).
 */
final class Convs {
    private Convs() {}

    /** torch {@code conv2d} (zero padding {@code pad}) with the weight and bias under {@code prefix}, NCHW. */
    static SDVariable conv2d(SameDiff sd, SDVariable x, TorchWeights w, String prefix, int stride, int pad) {
        return conv2d(sd, x, w, prefix, stride, pad, Layout.NCHW);
    }

    /**
     * torch {@code conv2d} (zero padding {@code pad}) with the weight and bias under {@code prefix}, on
     * activations in {@code layout}.
     */
    static SDVariable conv2d(SameDiff sd, SDVariable x, TorchWeights w, String prefix, int stride, int pad, Layout layout) {
        SDVariable bias = w.optional(prefix + "bias");
        if (!w.constants()) {
            return Layers.conv2d(sd, x, w.get(prefix + "weight"), bias, stride, pad, layout);
        }
        SDVariable hwio = w.constantLayout(prefix + "weight", "hwio", a -> a.permute(2, 3, 1, 0).dup('c'));
        return Layers.conv2dPrepared(sd, x, hwio, bias, stride, pad, layout);
    }
}
