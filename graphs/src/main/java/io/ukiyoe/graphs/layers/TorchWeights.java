package io.ukiyoe.graphs.layers;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.nn.Ops;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A torch network's tensors (canonical names, {@code model/1/weight}) as graph variables, created on
 * first use: trainable variables for graphs that need their gradients, constants otherwise. Graph
 * names carry a scope ({@code G/}, {@code D/}) so two networks can share one graph.
 */
public final class TorchWeights {
    private final SameDiff sd;
    private final Map<String, Tensor> tensors;
    private final boolean trainable;
    private final String scope;
    private final Map<String, SDVariable> made = new LinkedHashMap<>();

    public TorchWeights(SameDiff sd, Map<String, Tensor> tensors, boolean trainable, String scope) {
        this.sd = sd;
        this.tensors = tensors;
        this.trainable = trainable;
        this.scope = scope;
    }

    /** The tensor {@code name} as a graph variable; it must exist (the family checked the file). */
    public SDVariable get(String name) {
        SDVariable v = optional(name);
        if (v == null) {
            throw new IllegalArgumentException("missing tensor '" + name + "'");
        }
        return v;
    }

    /** The tensor {@code name} as a graph variable, or null when the network has none (a conv without bias). */
    public SDVariable optional(String name) {
        SDVariable v = made.get(name);
        if (v != null || !tensors.containsKey(name)) {
            return v;
        }
        var arr = Ops.array(tensors.get(name));
        v = trainable ? sd.var(scope + name, arr) : sd.constant(scope + name, arr);
        made.put(name, v);
        return v;
    }

    /** Graph variable name of tensor {@code name}. */
    public String graphName(String name) {
        return scope + name;
    }

    /** The tensors used so far, canonical name to graph variable, in order of first use. */
    public Map<String, SDVariable> used() {
        return Collections.unmodifiableMap(made);
    }
}
