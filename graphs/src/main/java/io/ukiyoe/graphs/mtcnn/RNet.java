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
 * MTCNN's refinement network (facenet-pytorch {@code RNet}) on 24x24 crops: conv 3x3 - PReLU - pool 3/2
 * - conv 3x3 - PReLU - pool 3/2 - conv 2x2 - PReLU (pools in ceil mode), flattened in facenet-pytorch's
 * (W, H, C) order, dense - PReLU, then face probability (softmax) and box regression.
 */
public final class RNet {
    public static final int SIZE = 24;
    private final SameDiff sd = Graphs.create();

    /** Regression {@code [N, 4]} and softmax {@code [N, 2]} (column 1 = face). */
    public record Out(INDArray reg, INDArray prob) {}

    public RNet(Map<String, Tensor> w) {
        build(sd, sd.placeHolder(INPUT, DataType.FLOAT, -1, 3, SIZE, SIZE), MtcnnGraphs.constants(sd, w));
    }

    /** Runs on normalised crops {@code [N, 3, 24, 24]}. */
    public Out forward(INDArray x) {
        MtcnnGraphs.checkCrops(x, SIZE, "R-Net");
        var out = sd.output(Map.of(INPUT, x.castTo(DataType.FLOAT)), "reg", "prob");
        return new Out(out.get("reg"), out.get("prob"));
    }

    /** R-Net on {@code x} ({@code [N, 3, 24, 24]}); outputs named "reg" and "prob". */
    static void build(SameDiff sd, SDVariable x, Function<String, SDVariable> w) {
        MtcnnGraphs.Square sq = new MtcnnGraphs.Square(x, SIZE);
        for (int b = 1; b <= 2; b++) {
            sq = MtcnnGraphs.convPreluPool(sd, sq, w, b, 3, 2);
        }
        MtcnnGraphs.tail(sd, sq, w, 3);
    }
}
