package io.ukiyoe.graphs.pix2pixhd;

import static io.ukiyoe.graphs.pix2pixhd.ResnetBlock.IN_EPS;

import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.TorchWeights;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * pix2pixHD's {@code MultiscaleDiscriminator} as SameDiff ops. Output slot {@code i} (0 = full
 * resolution) is the sub-discriminator upstream names {@code scale{num_D-1-i}}, run on the input pooled
 * {@code i} times; each slot lists every layer's output, the last being the patch logits (no sigmoid).
 */
public final class MultiscaleDiscriminator {
    /** LeakyReLU slope of NLayerDiscriminator. */
    static final double SLOPE = 0.2;

    private MultiscaleDiscriminator() {}

    public static List<List<SDVariable>> forward(SameDiff sd, SDVariable x, DiscriminatorConfig c, TorchWeights w) {
        long[] s = x.getShape();
        if (s != null && s.length == 4 && s[1] > 0 && s[1] != c.inputNc()) {
            throw new IllegalArgumentException("discriminator input must have " + c.inputNc() + " channels, got "
                    + java.util.Arrays.toString(s));
        }
        List<List<SDVariable>> out = new ArrayList<>();
        SDVariable in = x;
        for (int i = 0; i < c.numD(); i++) {
            out.add(scale(sd, in, c, w, c.numD() - 1 - i));
            if (i < c.numD() - 1) {
                in = Generator.downsample(sd, in);
            }
        }
        return out;
    }

    /** One NLayerDiscriminator (upstream name {@code scale{scale}}): every layer's output. */
    static List<SDVariable> scale(SameDiff sd, SDVariable x, DiscriminatorConfig c, TorchWeights w, int scale) {
        List<SDVariable> feats = new ArrayList<>();
        SDVariable y = x;
        int last = c.layersPerScale() - 1;
        for (int j = 0; j <= last; j++) {
            String p = c.convPrefix(scale, j);
            y = Convs.conv2d(sd, y, w, p, c.stride(j), 2);
            if (j < last) {
                if (j > 0) {
                    y = Layers.instanceNorm(sd, y, IN_EPS);
                }
                y = Layers.leakyRelu(sd, y, SLOPE);
            }
            feats.add(y);
        }
        return feats;
    }
}
