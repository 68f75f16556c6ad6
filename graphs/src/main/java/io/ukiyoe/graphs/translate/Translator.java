package io.ukiyoe.graphs.translate;

import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A feed-forward image-to-image network (pix2pixHD generator; later CycleGAN, the distilled student):
 * NCHW float32 in [-1, 1] in, NCHW out (tanh range). What {@code ukiyoe translate} and its benchmark run.
 */
public interface Translator {
    /** The network on a batch; H and W must be multiples of {@link #sizeMultiple()}. */
    INDArray translate(INDArray nchw);

    /** The first image of a batch through the network as [3, H, W] (a one-channel output repeated as grey). */
    default INDArray firstAsRgb(INDArray nchw) {
        INDArray y = translate(nchw).get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        return y.size(0) == 1 ? Nd4j.concat(0, y, y, y) : y;
    }

    /** H and W of inputs must be multiples of this. */
    int sizeMultiple();

    int inputChannels();

    int outputChannels();

    /** One line: what network, architecture, parameter count. */
    String describe();

    /**
     * Writes the inference graph as SameDiff FlatBuffers: placeholder {@code input} float32 [N, C, H, W]
     * in [-1, 1], output {@code output}.
     */
    void export(Path file);

    /**
     * Writes the inference graph as an ONNX model (opset 17): input {@code input} float32 [N, C, H, W]
     * in [-1, 1], output {@code output}; N, H and W dynamic.
     */
    default void exportOnnx(Path file) {
        throw new io.ukiyoe.core.UserError(describe() + ": no ONNX export for this network yet");
    }
}
