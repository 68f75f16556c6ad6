package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** What G and D graphs share: the SameDiff they build into, the config, the weight form and the block shapes. */
public abstract sealed class StyleGanGraph permits GeneratorGraph, DiscriminatorGraph {
    protected final SameDiff sd;
    protected final StyleGanConfig c;
    protected final Weights weights;
    protected final BlockShapes shapes = new BlockShapes();   // what each block must hand the next

    StyleGanGraph(SameDiff sd, StyleGanModel model, Weights.Form form, DataType dtype) {
        this.sd = sd;
        this.c = model.config();
        this.weights = Weights.of(form, sd, model, dtype);
    }

    /** The prepared views of this graph's parameters ({@link Weights.Form#PREPARED}, after building). */
    public PreparedWeights weights() {
        return weights.prepared();
    }

    /** The variable of a canonical tensor, created on first use. */
    public SDVariable param(String name) {
        return weights.get(name);
    }

    public Map<String, SDVariable> params() {
        return weights.all();
    }

    /** The shapes the blocks built so far must produce (check them on the graph's first pass). */
    public BlockShapes shapes() {
        return shapes;
    }

    Weights parameters() {
        return weights;
    }

    StyleGanConfig config() {
        return c;
    }

    SameDiff sameDiff() {
        return sd;
    }
}
