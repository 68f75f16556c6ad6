package io.ukiyoe.graphs.mtcnn;

import static io.ukiyoe.graphs.mtcnn.MtcnnGraphs.INPUT;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.runtime.Graphs;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MTCNN's output network (facenet-pytorch {@code ONet}) on 48x48 crops: three conv 3x3 - PReLU - pool
 * blocks (3/2, 3/2, 2/2, ceil mode), conv 2x2 - PReLU, flattened in (W, H, C) order, dense - PReLU,
 * then face probability, box regression and five landmarks (x1..x5, y1..y5 relative to the box).
 */
public final class ONet {
    public static final int SIZE = 48;
    private final SameDiff sd = Graphs.create();

    /** Regression {@code [N, 4]}, landmarks {@code [N, 10]} and softmax {@code [N, 2]}. */
    public record Out(INDArray reg, INDArray landmarks, INDArray prob) {}

    public ONet(Map<String, Tensor> w) {
        build(sd, sd.placeHolder(INPUT, DataType.FLOAT, -1, 3, SIZE, SIZE), MtcnnGraphs.constants(sd, w));
    }

    /** Runs on normalised crops {@code [N, 3, 48, 48]}. */
    public Out forward(INDArray x) {
        MtcnnGraphs.checkCrops(x, SIZE, "O-Net");
        var out = sd.output(Map.of(INPUT, x.castTo(DataType.FLOAT)), "reg", "landmarks", "prob");
        return new Out(out.get("reg"), out.get("landmarks"), out.get("prob"));
    }

    /**
     * O-Net on {@code x} ({@code [N, 3, 48, 48]}) with weights from {@code w} (facenet-pytorch keys; any
     * channel counts); outputs named "reg", "landmarks" and "prob".
     */
    public static void build(SameDiff sd, SDVariable x, Function<String, SDVariable> w) {
        MtcnnGraphs.Square sq = new MtcnnGraphs.Square(x, SIZE);
        int[][] pools = {{3, 2}, {3, 2}, {2, 2}};
        for (int b = 1; b <= 3; b++) {
            sq = MtcnnGraphs.convPreluPool(sd, sq, w, b, pools[b - 1][0], pools[b - 1][1]);
        }
        MtcnnGraphs.dense(sd, MtcnnGraphs.tail(sd, sq, w, 4), w, "dense6_3").rename("landmarks");
    }
}
