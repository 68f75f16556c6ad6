package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.Layers.Layout;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.model.TensorShapes;
import java.util.LinkedHashMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The residual block of pix2pixHD and CycleGAN generators:
 * {@code x + [ReflPad(1), Conv3x3, IN, ReLU, ReflPad(1), Conv3x3, IN](x)}, no activation after the sum.
 * State-dict keys {@code <block>/conv_block/1/...} and {@code <block>/conv_block/5/...}.
 */
public final class ResnetBlock {
    /** Instance-norm epsilon of torch's {@code InstanceNorm2d}. */
    public static final double IN_EPS = 1e-5;

    private ResnetBlock() {}

    /** The block whose convs are {@code prefix + conv_block/1/} and {@code prefix + conv_block/5/}. */
    public static SDVariable forward(SameDiff sd, SDVariable x, TorchWeights w, String prefix) {
        return forward(sd, x, w, prefix, Layout.NCHW);
    }

    /** As {@link #forward(SameDiff, SDVariable, TorchWeights, String)} on activations in {@code layout}. */
    static SDVariable forward(SameDiff sd, SDVariable x, TorchWeights w, String prefix, Layout layout) {
        return forward(sd, x, w, prefix + "conv_block/1/", prefix + "conv_block/5/", layout);
    }

    /** The block with its two convs under the given prefixes (for nets that number their modules otherwise). */
    public static SDVariable forward(SameDiff sd, SDVariable x, TorchWeights w, String conv1, String conv2) {
        return forward(sd, x, w, conv1, conv2, Layout.NCHW);
    }

    private static SDVariable forward(SameDiff sd, SDVariable x, TorchWeights w, String conv1, String conv2, Layout layout) {
        SDVariable y = Layers.instanceNorm(sd, Convs.conv2d(sd, Layers.reflectPad(sd, x, 1, layout), w, conv1, 1, 0, layout),
                IN_EPS, layout);
        y = Layers.relu(sd, y);
        y = Layers.instanceNorm(sd, Convs.conv2d(sd, Layers.reflectPad(sd, y, 1, layout), w, conv2, 1, 0, layout),
                IN_EPS, layout);
        return x.add(y);
    }

    static void expectedShapes(LinkedHashMap<String, long[]> into, String prefix, long channels) {
        TensorShapes.conv(into, prefix + "conv_block/1/", channels, channels, 3, 3);
        TensorShapes.conv(into, prefix + "conv_block/5/", channels, channels, 3, 3);
    }
}
