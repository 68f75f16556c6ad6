package io.ukiyoe.graphs.mtcnn;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The building blocks P-Net, R-Net and O-Net share. Weights come from a function of the facenet-pytorch
 * key ({@code conv1.weight}, ...): constants for inference ({@link #constants}), or variables when a
 * network of the same shape is trained (a test trains an O-Net-shaped landmark regressor).
 */
final class MtcnnGraphs {
    static final String INPUT = "input";

    private MtcnnGraphs() {}

    /** Each state-dict tensor as a graph constant named by its canonical key. */
    static Function<String, SDVariable> constants(SameDiff sd, Map<String, Tensor> w) {
        return key -> {
            String name = StateDicts.canonical(key);
            return sd.hasVariable(name) ? sd.getVariable(name) : sd.constant(name, Ops.array(w.get(key)));
        };
    }

    /** Valid (unpadded) stride-1 conv with bias, as every MTCNN conv is. */
    static SDVariable conv(SameDiff sd, SDVariable x, Function<String, SDVariable> w, String layer) {
        return Layers.conv2d(sd, x, w.apply(layer + ".weight"), w.apply(layer + ".bias"), 1, 0);
    }

    static SDVariable prelu(SameDiff sd, SDVariable x, Function<String, SDVariable> w, String layer, int rank) {
        return Layers.prelu(sd, x, w.apply(layer + ".weight"), rank);
    }

    static SDVariable dense(SameDiff sd, SDVariable x, Function<String, SDVariable> w, String layer) {
        return Layers.linear(sd, x, w.apply(layer + ".weight"), w.apply(layer + ".bias"));
    }

    /**
     * facenet-pytorch's flatten before the dense layers: {@code x.permute(0, 3, 2, 1)} (NCHW -> N,W,H,C),
     * then a row per sample, so the flat index is {@code (w * H + h) * C + c}.
     */
    static SDVariable flattenWhc(SDVariable x, long c, long h, long w) {
        return x.permute(0, 3, 2, 1).reshape(-1, w * h * c);
    }

    /** Square activations and their side, passed from block to block of R-Net and O-Net. */
    record Square(SDVariable x, long side) {}

    /** conv{i} - PReLU{i} - max pool k/s (ceil mode) on square activations. */
    static Square convPreluPool(SameDiff sd, Square in, Function<String, SDVariable> w, int i, int k, int s) {
        SDVariable y = prelu(sd, conv(sd, in.x(), w, "conv" + i), w, "prelu" + i, 4);
        long n = convOut(in.side(), w, "conv" + i);
        return new Square(Layers.maxPool2d(sd, y, k, s, 0, true, n, n), Layers.poolOut(n, k, s, 0, true));
    }

    /** Conv output length along one axis (valid, stride 1). */
    static long convOut(long n, Function<String, SDVariable> w, String layer) {
        return n - Layers.shapeOf(w.apply(layer + ".weight"), 4, layer + ".weight")[2] + 1;
    }

    /** Output channels of a conv layer. */
    static long channels(Function<String, SDVariable> w, String layer) {
        return Layers.shapeOf(w.apply(layer + ".weight"), 4, layer + ".weight")[0];
    }

    /**
     * R-Net's and O-Net's common tail after the pooled blocks: conv{k} + prelu{k}, flattened in (W, H, C)
     * order, dense{k+1} + prelu{k+1}; then the face probability "prob" (softmax of dense{k+2}_1) and the box
     * regression "reg" (dense{k+2}_2). Returns the features the heads read (O-Net adds its landmarks).
     */
    static SDVariable tail(SameDiff sd, Square sq, Function<String, SDVariable> w, int k) {
        String conv = "conv" + k;
        SDVariable x = prelu(sd, conv(sd, sq.x(), w, conv), w, "prelu" + k, 4);
        long n = convOut(sq.side(), w, conv);
        x = flattenWhc(x, channels(w, conv), n, n);
        x = prelu(sd, dense(sd, x, w, "dense" + (k + 1)), w, "prelu" + (k + 1), 2);
        channelSoftmax(sd, "prob", dense(sd, x, w, "dense" + (k + 2) + "_1"));
        dense(sd, x, w, "dense" + (k + 2) + "_2").rename("reg");
        return x;
    }

    /**
     * Softmax over the channel axis (1), spelled out: SameDiff M2.1's softmax op with a dimension gives
     * wrong values on rank-4 input (it passes on rank 2).
     */
    static SDVariable channelSoftmax(SameDiff sd, String name, SDVariable logits) {
        SDVariable e = sd.math().exp(logits.sub(logits.max(true, 1)));
        return e.div(name, e.sum(true, 1));
    }

    static void checkCrops(INDArray x, int size, String net) {
        long[] s = x.shape();
        if (s.length != 4 || s[1] != 3 || s[2] != size || s[3] != size) {
            throw new IllegalArgumentException(net + " input must be [N, 3, " + size + ", " + size + "], got "
                    + java.util.Arrays.toString(s));
        }
    }
}
