package io.ukiyoe.graphs.mtcnn;

import static io.ukiyoe.graphs.mtcnn.MtcnnGraphs.INPUT;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.Layers;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MTCNN's refinement network (facenet-pytorch {@code RNet}) on 24x24 crops: conv 3x3 - PReLU - pool 3/2
 * - conv 3x3 - PReLU - pool 3/2 - conv 2x2 - PReLU (pools in ceil mode), flattened in facenet-pytorch's
 * (W, H, C) order, dense - PReLU, then face probability (softmax) and box regression.
 */
public final class RNet {
    public static final int SIZE = 24;
    private final SameDiff sd;

    /** Regression {@code [N, 4]} and softmax {@code [N, 2]} (column 1 = face). */
    public record Out(INDArray reg, INDArray prob) {}

    public RNet(Map<String, Tensor> w) {
        sd = SameDiff.create();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, 3, SIZE, SIZE);
        long n = SIZE;
        x = MtcnnGraphs.prelu(sd, MtcnnGraphs.conv(sd, x, w, "conv1"), w, "prelu1", 4);
        n = MtcnnGraphs.convOut(n, w, "conv1");
        x = Layers.maxPool2d(sd, x, 3, 2, 0, true, n, n);
        n = Layers.poolOut(n, 3, 2, 0, true);
        x = MtcnnGraphs.prelu(sd, MtcnnGraphs.conv(sd, x, w, "conv2"), w, "prelu2", 4);
        n = MtcnnGraphs.convOut(n, w, "conv2");
        x = Layers.maxPool2d(sd, x, 3, 2, 0, true, n, n);
        n = Layers.poolOut(n, 3, 2, 0, true);
        x = MtcnnGraphs.prelu(sd, MtcnnGraphs.conv(sd, x, w, "conv3"), w, "prelu3", 4);
        n = MtcnnGraphs.convOut(n, w, "conv3");
        x = MtcnnGraphs.flattenWhc(x, w.get("conv3.weight").shape()[0], n, n);
        x = MtcnnGraphs.prelu(sd, MtcnnGraphs.dense(sd, x, w, "dense4"), w, "prelu4", 2);
        MtcnnGraphs.channelSoftmax(sd, "prob", MtcnnGraphs.dense(sd, x, w, "dense5_1"));
        MtcnnGraphs.dense(sd, x, w, "dense5_2").rename("reg");
    }

    /** Runs on normalised crops {@code [N, 3, 24, 24]}. */
    public Out forward(INDArray x) {
        MtcnnGraphs.checkCrops(x, SIZE, "R-Net");
        var out = sd.output(Map.of(INPUT, x.castTo(DataType.FLOAT)), "reg", "prob");
        return new Out(out.get("reg"), out.get("prob"));
    }
}
