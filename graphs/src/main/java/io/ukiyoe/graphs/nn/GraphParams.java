package io.ukiyoe.graphs.nn;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A model's tensors as graph variables under their canonical names, created on first use:
 * trainable variables for training graphs (buffers stay constants), constants for inference.
 */
final class GraphParams {
    static {
        SessionMemory.install();            // every graph built from a model runs on pooled memory
    }

    private final SameDiff sd;
    private final StyleGanModel model;
    private final boolean trainable;
    private final org.nd4j.linalg.api.buffer.DataType dtype;
    private final Map<String, SDVariable> vars = new LinkedHashMap<>();

    GraphParams(SameDiff sd, StyleGanModel model, boolean trainable, org.nd4j.linalg.api.buffer.DataType dtype) {
        this.sd = sd;
        this.model = model;
        this.trainable = trainable;
        this.dtype = dtype;
    }

    SDVariable get(String name) {
        return vars.computeIfAbsent(name, n -> {
            var arr = Ops.array(model.tensor(n)).castTo(dtype);
            return trainable && !Names.isBuffer(n) ? sd.var(n, arr) : sd.constant(n, arr);
        });
    }

    Map<String, SDVariable> all() {
        return Collections.unmodifiableMap(vars);
    }
}
