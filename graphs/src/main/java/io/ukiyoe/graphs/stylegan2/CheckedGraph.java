package io.ukiyoe.graphs.stylegan2;

import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A built inference graph and its block shapes, which its first pass checks ({@link BlockShapes}). */
record CheckedGraph(SameDiff sd, BlockShapes shapes) {
    INDArray run(Map<String, INDArray> feed, String output) {
        return shapes.run(listeners -> sd.output(feed, listeners, output)).get(output);
    }
}
