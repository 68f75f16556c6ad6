package io.ukiyoe.graphs.pix2pixhd;

import static io.ukiyoe.graphs.pix2pixhd.ResnetBlock.IN_EPS;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.Layers.Layout;
import io.ukiyoe.graphs.layers.TorchWeights;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * pix2pixHD's {@code GlobalGenerator} (= CycleGAN's {@code ResnetGenerator}) as SameDiff ops: reflect
 * pad 3 + 7x7 conv, IN, ReLU; stride-2 3x3 convs (zero pad 1), IN, ReLU; residual blocks; transposed
 * 3x3 stride-2 convs (padding 1, output_padding 1), IN, ReLU; reflect pad 3 + 7x7 conv, tanh.
 * Any H, W divisible by {@code 2^n_downsampling}.
 */
public final class GlobalGenerator {
    private GlobalGenerator() {}

    /**
     * The net on NCHW {@code x}, weights under {@code prefix} (e.g. {@code model/}); without the head
     * (config {@code head} false) it ends in the last upsampling's ReLU. Output NCHW. Inference graphs
     * (constant weights) run channels-last inside, where oneDNN's convs on the large maps are up to twice
     * as fast; trainable graphs stay NCHW.
     */
    public static SDVariable forward(SameDiff sd, SDVariable x, GlobalGeneratorConfig c, TorchWeights w, String prefix) {
        checkInput(x, c.inputNc(), c.sizeMultiple());
        Layout l = w.constants() ? Layout.NHWC : Layout.NCHW;
        SDVariable y = l == Layout.NHWC ? x.permute(0, 2, 3, 1) : x;
        y = convInRelu(sd, Layers.reflectPad(sd, y, 3, l), w, prefix + "1/", 1, 0, l);
        for (int i = 0; i < c.nDownsampling(); i++) {
            y = convInRelu(sd, y, w, prefix + c.downConvIndex(i) + "/", 2, 1, l);
        }
        for (int b = 0; b < c.nBlocks(); b++) {
            y = ResnetBlock.forward(sd, y, w, prefix + c.blockIndex(b) + "/", l);
        }
        for (int i = 0; i < c.nDownsampling(); i++) {
            y = upConvInRelu(sd, y, w, prefix + c.upConvIndex(i) + "/", l);
        }
        if (c.head()) {
            y = head(sd, y, w, prefix + c.headConvIndex() + "/", l);
        }
        return l == Layout.NHWC ? y.permute(0, 3, 1, 2) : y;
    }

    /** Conv (zero padding {@code pad}), instance norm, ReLU, on activations in {@code l}. */
    static SDVariable convInRelu(SameDiff sd, SDVariable x, TorchWeights w, String conv, int stride, int pad, Layout l) {
        SDVariable y = Convs.conv2d(sd, x, w, conv, stride, pad, l);
        return Layers.relu(sd, Layers.instanceNorm(sd, y, IN_EPS, l));
    }

    /** Transposed 3x3 conv, stride 2, padding 1, output_padding 1 (doubles H and W), instance norm, ReLU. */
    static SDVariable upConvInRelu(SameDiff sd, SDVariable x, TorchWeights w, String conv, Layout l) {
        SDVariable y = Layers.convTranspose2d(sd, x, w.get(conv + "weight"), w.optional(conv + "bias"), 2, 1, 1, l);
        return Layers.relu(sd, Layers.instanceNorm(sd, y, IN_EPS, l));
    }

    /** Reflect pad 3, 7x7 conv, tanh. */
    static SDVariable head(SameDiff sd, SDVariable x, TorchWeights w, String conv, Layout l) {
        SDVariable y = Convs.conv2d(sd, Layers.reflectPad(sd, x, 3, l), w, conv, 1, 0, l);
        return sd.math().tanh(y);
    }

    /** Channels and (where the graph knows them) H and W of an input, checked at the block boundary. */
    static void checkInput(SDVariable x, int channels, int multiple) {
        long[] s = x.getShape();
        if (s == null) {
            return;
        }
        if (s.length != 4 || (s[1] > 0 && s[1] != channels)) {
            throw new IllegalArgumentException("generator input must be [N, " + channels + ", H, W], got "
                    + java.util.Arrays.toString(s));
        }
        for (int a = 2; a < 4; a++) {
            if (s[a] > 0 && s[a] % multiple != 0) {
                throw new IllegalArgumentException("generator input H and W must be multiples of " + multiple + ", got "
                        + java.util.Arrays.toString(s));
            }
        }
    }
}
