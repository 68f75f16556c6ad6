package io.ukiyoe.graphs.cyclegan;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.runtime.Graphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * CycleGAN's PatchGAN discriminator ({@link PatchDiscriminatorConfig}) as SameDiff ops: 4x4 convs with
 * zero padding 1, LeakyReLU 0.2, instance norm (eps 1e-5), raw patch logits (LSGAN: no sigmoid).
 * Works on any input size whose patch map is at least 1x1, square or not.
 */
public final class NLayerDiscriminator {
    static final double SLOPE = 0.2;
    static final double EPS = 1e-5;

    private final PatchDiscriminatorConfig config;

    public NLayerDiscriminator(PatchDiscriminatorConfig config) {
        this.config = config;
    }

    public PatchDiscriminatorConfig config() {
        return config;
    }

    /**
     * The output of every conv block of {@code x} [N, input_nc, H, W]: blocks {@code 0..n_layers}
     * (after their LeakyReLU), then the logits [N, 1, h, w]. {@code param} gives the graph variable of a
     * canonical tensor name ({@code model/0/weight}, ...).
     */
    public List<SDVariable> layers(SameDiff sd, SDVariable x, Function<String, SDVariable> param) {
        checkInput(x.getShape());
        List<SDVariable> out = new ArrayList<>();
        SDVariable h = x;
        for (int i = 0; i < config.convs(); i++) {
            h = Layers.conv2d(sd, h, param.apply(config.weight(i)), param.apply(config.bias(i)), config.stride(i), 1);
            if (i < config.convs() - 1) {
                if (config.normed(i)) {
                    h = Layers.instanceNorm(sd, h, EPS);
                }
                h = Layers.leakyRelu(sd, h, SLOPE);
            }
            out.add(h);
        }
        return out;
    }

    /** The patch logits [N, 1, h, w] of {@code x}. */
    public SDVariable logits(SameDiff sd, SDVariable x, Function<String, SDVariable> param) {
        List<SDVariable> all = layers(sd, x, param);
        return all.get(all.size() - 1);
    }

    /** The patch logits of a batch, computed once with the given weights (inference, tests). */
    public INDArray logits(Map<String, Tensor> weights, INDArray x) {
        return eval(weights, x).get(config.convs() - 1);
    }

    /** Every block's output of a batch ({@link #layers}), computed once with the given weights. */
    public List<INDArray> eval(Map<String, Tensor> weights, INDArray x) {
        List<String> problems = config.validate(weights);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("discriminator weights do not fit " + config.toJson() + ": "
                    + String.join("; ", problems));
        }
        SameDiff sd = Graphs.create();
        List<SDVariable> outs = layers(sd, sd.constant("x", x), new TorchWeights(sd, weights, false, "")::get);
        List<String> names = outs.stream().map(SDVariable::name).toList();
        Map<String, INDArray> values = sd.output(Map.of(), names.toArray(String[]::new));
        return names.stream().map(values::get).toList();
    }

    /** A shape check at the block boundary: channels must match and the patch map must not vanish. */
    private void checkInput(long[] shape) {
        if (shape == null) {
            return;
        }
        if (shape.length != 4) {
            throw new IllegalArgumentException("discriminator input must be [N, C, H, W], got rank " + shape.length);
        }
        if (shape[1] >= 0 && shape[1] != config.inputNc()) {
            throw new IllegalArgumentException("discriminator input has " + shape[1] + " channels, the network takes "
                    + config.inputNc());
        }
        for (int axis = 2; axis < 4; axis++) {
            if (shape[axis] > 0 && config.outputSize(shape[axis]) < 1) {
                throw new IllegalArgumentException("discriminator input of " + shape[2] + "x" + shape[3]
                        + " is too small for " + config.nLayers() + " layers (the patch map would be empty)");
            }
        }
    }
}
