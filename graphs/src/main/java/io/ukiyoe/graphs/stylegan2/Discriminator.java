package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Graphs;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Inference with the discriminator: images [N, 3, R, R] -> logits [N, 1], stddev over the batch as given. */
public final class Discriminator {
    public static final String IMAGES = "images";
    public static final String LOGITS = "logits";

    private final StyleGanModel model;
    private final Map<Integer, CheckedGraph> byGroup = new HashMap<>();

    public Discriminator(StyleGanModel model) {
        if (!model.hasDiscriminator()) {
            throw new UserError("the model has no discriminator (import a checkpoint that carries one)");
        }
        this.model = model;
    }

    public synchronized INDArray logits(INDArray images) {
        int r = model.config().resolution();
        long[] s = images.shape();
        if (s.length != 4 || s[1] != 3 || s[2] != r || s[3] != r) {
            throw new UserError("images must be [N, 3, " + r + ", " + r + "], got " + java.util.Arrays.toString(s));
        }
        int g = model.config().mbstdGroupFor(s[0]);   // N must be a multiple of it, as in the references
        CheckedGraph built = byGroup.computeIfAbsent(g, k -> {
            SameDiff d = Graphs.create();
            var in = d.placeHolder(IMAGES, DataType.FLOAT, -1, 3, r, r);
            DiscriminatorGraph graph = new DiscriminatorGraph(d, model, false);
            d.identity(LOGITS, graph.logits(in, k));
            return new CheckedGraph(d, graph.shapes());
        });
        return built.run(Map.of(IMAGES, images.castTo(DataType.FLOAT)), LOGITS);
    }
}
