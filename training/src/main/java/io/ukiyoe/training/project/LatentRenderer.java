package io.ukiyoe.training.project;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.GeneratorGraph;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Renders a projection's state ({@code w} [1, num_ws, w_dim] and {@code noise_<i>} [1, 1, r, r], as
 * {@code NAME.npz}) with any model of the same architecture: the base it was found in, or a blend of it.
 */
public final class LatentRenderer {
    private static final String WS = "ws";
    private static final String IMG = "img";
    private final StyleGanConfig c;
    private final SameDiff sd;

    public LatentRenderer(StyleGanModel model) {
        this.c = model.config();
        sd = Graphs.create();
        var ws = sd.placeHolder(WS, DataType.FLOAT, 1, c.numWs(), c.wDim());
        sd.identity(IMG, new GeneratorGraph(sd, model, false).synthesis(ws, GeneratorGraph.Noise.INPUT));
    }

    /** The image [1, 3, R, R] for a saved state; one-line errors when it does not fit this model. */
    public INDArray render(Map<String, Tensor> state) {
        Tensor w = state.get("w");
        if (w == null || !Arrays.equals(w.shape(), new long[] {1, c.numWs(), c.wDim()})) {
            throw new UserError("projection state: 'w' must be [1, " + c.numWs() + ", " + c.wDim() + "] for this model, got "
                    + (w == null ? "none" : w.shapeString()));
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(WS, Nd4j.create(w.data(), w.shape(), 'c'));
        int n = ProjectionGraph.numNoises(c);
        for (int i = 0; i < n; i++) {
            String layer = Names.noiseLayer(i);
            int r = Names.noiseResolution(i);
            Tensor t = state.get("noise_" + i);
            if (t == null || t.numel() != (long) r * r) {
                throw new UserError("projection state: 'noise_" + i + "' must be [1, 1, " + r + ", " + r + "] for this model, got "
                        + (t == null ? "none" : t.shapeString()));
            }
            feed.put(GeneratorGraph.noiseInput(layer), Nd4j.create(t.data(), new long[] {1, 1, r, r}, 'c'));
        }
        synchronized (this) {
            return sd.output(feed, IMG).get(IMG);
        }
    }
}
