package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.graphs.layers.Layers;
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
        return forward(sd, x, w.get(prefix + "conv_block/1/weight"), w.optional(prefix + "conv_block/1/bias"),
                w.get(prefix + "conv_block/5/weight"), w.optional(prefix + "conv_block/5/bias"));
    }

    /** The block with its two convs given (for nets that number their modules otherwise). */
    public static SDVariable forward(SameDiff sd, SDVariable x, SDVariable w1, SDVariable b1, SDVariable w2, SDVariable b2) {
        SDVariable y = convIn(sd, x, w1, b1);
        y = Layers.relu(sd, y);
        y = convIn(sd, y, w2, b2);
        return x.add(y);
    }

    private static SDVariable convIn(SameDiff sd, SDVariable x, SDVariable w, SDVariable b) {
        return Layers.instanceNorm(sd, Layers.conv2d(sd, Layers.reflectPad(sd, x, 1), w, b, 1, 0), IN_EPS);
    }

    static void expectedShapes(LinkedHashMap<String, long[]> into, String prefix, long channels) {
        TensorShapes.conv(into, prefix + "conv_block/1/", channels, channels, 3, 3);
        TensorShapes.conv(into, prefix + "conv_block/5/", channels, channels, 3, 3);
    }
}
