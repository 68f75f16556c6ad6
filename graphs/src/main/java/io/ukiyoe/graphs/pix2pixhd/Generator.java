package io.ukiyoe.graphs.pix2pixhd;

import static io.ukiyoe.graphs.layers.Layers.Layout.NCHW;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.TorchWeights;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A pix2pixHD generator (global, or a {@code LocalEnhancer}) as SameDiff ops. The LocalEnhancer runs the
 * headless global part on the input pooled {@code n_local_enhancers} times
 * ({@code AvgPool2d(3, 2, 1, count_include_pad=False)}), then per enhancer, coarsest first,
 * {@code out = model{n}_2(model{n}_1(input at that scale) + out)}; the last enhancer ends in pad/conv/tanh.
 */
public final class Generator {
    private Generator() {}

    public static SDVariable forward(SameDiff sd, SDVariable x, GeneratorConfig c, TorchWeights w) {
        GlobalGenerator.checkInput(x, c.inputNc(), c.sizeMultiple());
        int levels = c.nLocalEnhancers();
        SDVariable[] pyramid = new SDVariable[levels + 1];
        pyramid[0] = x;
        for (int i = 1; i <= levels; i++) {
            pyramid[i] = downsample(sd, pyramid[i - 1]);
        }
        SDVariable out = GlobalGenerator.forward(sd, pyramid[levels], c.globalPart(), w, "model/");
        for (int n = 1; n <= levels; n++) {
            String first = "model" + n + "_1/";
            String second = "model" + n + "_2/";
            SDVariable y = GlobalGenerator.convInRelu(sd, Layers.reflectPad(sd, pyramid[levels - n], 3), w, first + "1/", 1, 0, NCHW);
            y = GlobalGenerator.convInRelu(sd, y, w, first + "4/", 2, 1, NCHW).add(out);
            for (int b = 0; b < c.nBlocksLocal(); b++) {
                y = ResnetBlock.forward(sd, y, w, second + b + "/");
            }
            y = GlobalGenerator.upConvInRelu(sd, y, w, second + c.nBlocksLocal() + "/", NCHW);
            out = n == levels ? GlobalGenerator.head(sd, y, w, second + (c.nBlocksLocal() + 4) + "/", NCHW) : y;
        }
        return out;
    }

    /** pix2pixHD's pyramid step: {@code AvgPool2d(3, stride 2, padding 1, count_include_pad=False)}. */
    public static SDVariable downsample(SameDiff sd, SDVariable x) {
        return Layers.avgPool2d(sd, x, 3, 2, 1, false);
    }
}
