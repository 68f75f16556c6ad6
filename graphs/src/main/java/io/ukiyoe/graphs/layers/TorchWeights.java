package io.ukiyoe.graphs.layers;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A torch network's tensors (canonical names, {@code model/1/weight}) as graph variables, created on
 * first use: trainable variables for graphs that need their gradients, constants otherwise. Graph
 * names carry a scope ({@code G/}, {@code D/}) so two networks can share one graph.
 */
public final class TorchWeights {
    private final SameDiff sd;
    private final Function<String, INDArray> source;      // null when the network has no such tensor
    /** Whether {@code source} makes a new array on every call (then one rearranged by {@link #constantLayout} is freed). */
    private final boolean freshArrays;
    private final boolean trainable;
    private final String scope;
    private final Map<String, SDVariable> made = new LinkedHashMap<>();

    private TorchWeights(SameDiff sd, Function<String, INDArray> source, boolean freshArrays, boolean trainable, String scope) {
        this.sd = sd;
        this.source = source;
        this.freshArrays = freshArrays;
        this.trainable = trainable;
        this.scope = scope;
    }

    public TorchWeights(SameDiff sd, Map<String, Tensor> tensors, boolean trainable, String scope) {
        this(sd, tensors, trainable, scope, DataType.FLOAT);
    }

    /** As above, in another precision (float64 for finite-difference checks). */
    public TorchWeights(SameDiff sd, Map<String, Tensor> tensors, boolean trainable, String scope, DataType dtype) {
        this(sd, name -> tensors.containsKey(name) ? Ops.array(tensors.get(name)).castTo(dtype) : null, true, trainable, scope);
    }

    /**
     * Weights made on first use by {@code make} (null for a tensor the network lacks), each array new:
     * an inference graph then holds only the rearranged copy of a weight, not both (a benchmark's random
     * weights: 730 MB instead of 1.46 GB).
     */
    public static TorchWeights made(SameDiff sd, Function<String, INDArray> make, boolean trainable, String scope) {
        return new TorchWeights(sd, make, true, trainable, scope);
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
        if (v != null) {
            return v;
        }
        INDArray arr = source.apply(name);
        if (arr == null) {
            return null;
        }
        v = trainable ? sd.var(scope + name, arr) : sd.constant(scope + name, arr);
        made.put(name, v);
        return v;
    }

    /** Whether the tensors are graph constants (an inference graph): then {@link #constantLayout} is available. */
    public boolean constants() {
        return !trainable;
    }

    /**
     * For inference graphs: the tensor {@code name} rearranged once, when the graph is built, by
     * {@code layout} (e.g. a conv weight in the layout the op takes), as a constant named
     * {@code name@key}; no per-pass op. Trainable graphs must keep the torch layout (the gradient is its).
     */
    public SDVariable constantLayout(String name, String key, java.util.function.UnaryOperator<INDArray> layout) {
        if (trainable) {
            throw new IllegalStateException("trainable weights stay in their torch layout");
        }
        String id = name + "@" + key;
        SDVariable v = made.get(id);
        if (v == null) {
            INDArray arr = source.apply(name);
            if (arr == null) {
                throw new IllegalArgumentException("missing tensor '" + name + "'");
            }
            INDArray laid = layout.apply(arr);
            if (freshArrays && laid.data() != arr.data() && arr.closeable()) {
                arr.close();                            // nothing else holds it: free it now, not at some GC
            }
            v = sd.constant(scope + id, laid);
            made.put(id, v);
        }
        return v;
    }

    /**
     * Copies {@code tensors}' current values into the variables used so far, in place (a trainer updates
     * its float arrays; the graph and its gradient function read the same arrays). A tensor whose shape
     * differs from its variable's is an error naming {@code what} and the tensor.
     */
    public void refresh(Map<String, Tensor> tensors, String what) {
        made.forEach((name, v) -> {
            Tensor t = tensors.get(name);
            if (!java.util.Arrays.equals(v.getArr().shape(), t.shape())) {
                throw new IllegalStateException(what + name + ": shape changed to " + t.shapeString());
            }
            Graphs.setValues(v, t.shape(), t.data());
        });
    }

    /** The tensors used so far, canonical name to graph variable, in order of first use. */
    public Map<String, SDVariable> used() {
        return Collections.unmodifiableMap(made);
    }
}
