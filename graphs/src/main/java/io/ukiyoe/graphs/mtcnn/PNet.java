package io.ukiyoe.graphs.mtcnn;

import static io.ukiyoe.graphs.mtcnn.MtcnnGraphs.INPUT;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.runtime.Graphs;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MTCNN's proposal network (facenet-pytorch {@code PNet}): fully convolutional, one 12x12 window per
 * output cell at stride 2. conv 3x3 - PReLU - max-pool 2/2 (ceil mode) - conv 3x3 - PReLU - conv 3x3 -
 * PReLU, then 1x1 heads: face probability (softmax over 2 channels) and box regression (4 channels).
 *
 * <p>The ceil-mode pool needs the input size when the graph is built, so there is one graph per
 * pyramid-level size, built on first use and kept (an image size gives the same few sizes every time).
 */
public final class PNet {
    private final Map<String, Tensor> w;
    private final Map<Long, SameDiff> bySize = new ConcurrentHashMap<>();

    /** Regression {@code [N, 4, h', w']} (dx1, dy1, dx2, dy2) and softmax {@code [N, 2, h', w']}. */
    public record Maps(INDArray reg, INDArray prob) {}

    public PNet(Map<String, Tensor> weights) {
        this.w = weights;
    }

    /** Runs on normalised NCHW input {@code [N, 3, H, W]} (H, W >= 12). */
    public Maps forward(INDArray x) {
        long[] s = x.shape();
        if (s.length != 4 || s[1] != 3 || s[2] < 12 || s[3] < 12) {
            throw new IllegalArgumentException("P-Net input must be [N, 3, H>=12, W>=12], got " + java.util.Arrays.toString(s));
        }
        SameDiff sd = bySize.computeIfAbsent(s[2] << 32 | s[3], k -> {
            SameDiff g = Graphs.create();
            build(g, g.placeHolder(INPUT, DataType.FLOAT, -1, 3, s[2], s[3]), MtcnnGraphs.constants(g, w));
            return g;
        });
        var out = sd.output(Map.of(INPUT, x.castTo(DataType.FLOAT)), "reg", "prob");
        return new Maps(out.get("reg"), out.get("prob"));
    }

    /** P-Net on {@code x} ({@code [N, 3, H, W]}, static H and W); outputs named "reg" and "prob". */
    static void build(SameDiff sd, SDVariable x, Function<String, SDVariable> w) {
        long[] s = x.getShape();
        x = MtcnnGraphs.prelu(sd, MtcnnGraphs.conv(sd, x, w, "conv1"), w, "prelu1", 4);
        x = Layers.maxPool2d(sd, x, 2, 2, 0, true, MtcnnGraphs.convOut(s[2], w, "conv1"), MtcnnGraphs.convOut(s[3], w, "conv1"));
        x = MtcnnGraphs.prelu(sd, MtcnnGraphs.conv(sd, x, w, "conv2"), w, "prelu2", 4);
        x = MtcnnGraphs.prelu(sd, MtcnnGraphs.conv(sd, x, w, "conv3"), w, "prelu3", 4);
        MtcnnGraphs.channelSoftmax(sd, "prob", MtcnnGraphs.conv(sd, x, w, "conv4_1"));
        MtcnnGraphs.conv(sd, x, w, "conv4_2").rename("reg");
    }
}
