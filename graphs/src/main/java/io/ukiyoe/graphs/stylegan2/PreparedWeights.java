package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.runtime.Graphs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a training graph built with prepared weights ({@link Weights.Form#PREPARED}): each
 * parameter enters the graph as one or more views (scaled, in the layout its op takes, FIR folded in)
 * that live outside the graph's ops. This moves parameters in ({@link #load}) and gradients out
 * ({@link #gradients}) in canonical names.
 */
public final class PreparedWeights {
    private final List<WeightView> views;
    private final Map<WeightView, float[]> staging = new IdentityHashMap<>();   // a view's values or gradient
    private final Map<String, float[]> accumulators = new LinkedHashMap<>();    // a parameter's gradient

    PreparedWeights(List<WeightView> views) {
        this.views = List.copyOf(views);
    }

    /** The graph variables that hold views of the parameters {@code params} accepts (to ask gradients of). */
    public List<String> variables(Predicate<String> params) {
        List<String> out = new ArrayList<>();
        for (WeightView v : views) {
            if (params.test(v.param)) {
                out.add(v.variable);
            }
        }
        return out;
    }

    /**
     * Fills the views of every parameter in {@code values} into {@code sd}'s variables, in place
     * (fresh arrays every step would be fresh native memory, which is what costs on this machine).
     */
    public void load(SameDiff sd, Map<String, Tensor> values) {
        List<WeightView> present = new ArrayList<>();
        for (WeightView v : views) {
            if (values.containsKey(v.param)) {
                if (sd.getVariable(v.variable) == null) {
                    throw new IllegalArgumentException("the graph has no variable " + v.variable);
                }
                staging.computeIfAbsent(v, k -> new float[k.size()]);
                present.add(v);
            }
        }
        // the layouts in parallel (each view its own staging array), then into the graph one by one
        present.parallelStream().forEach(v -> v.apply(values.get(v.param).data(), staging.get(v)));
        for (WeightView v : present) {
            Graphs.setValues(sd.getVariable(v.variable), v.shape, staging.get(v));
        }
    }

    /**
     * The gradients of the parameters from those of their views ({@code grads} by variable name, as
     * SameDiff returns them): each view's adjoint, summed per parameter. Parameters without a
     * gradient of any view are absent. The arrays are this object's and the next call overwrites
     * them (a step's gradients are megabytes that would otherwise be garbage every step).
     */
    public Map<String, float[]> gradients(Map<String, INDArray> grads) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Map<String, List<WeightView>> byParam = new LinkedHashMap<>();
        for (WeightView v : views) {
            INDArray g = grads.get(v.variable);
            if (g == null) {
                continue;
            }
            if (!Arrays.equals(g.shape(), v.shape)) {
                throw new IllegalStateException(v.variable + ": gradient of shape " + Arrays.toString(g.shape())
                        + ", the view has " + Arrays.toString(v.shape));
            }
            out.computeIfAbsent(v.param, k -> accumulators.computeIfAbsent(k, n -> new float[v.paramSize()]));
            NdArrays.floats(g, staging.computeIfAbsent(v, k -> new float[k.size()]));
            byParam.computeIfAbsent(v.param, k -> new ArrayList<>()).add(v);
        }
        // each parameter's sum in parallel, its views in their order (the same sums on any threads)
        byParam.entrySet().parallelStream().forEach(e -> {
            float[] acc = out.get(e.getKey());
            Arrays.fill(acc, 0f);
            for (WeightView v : e.getValue()) {
                v.addAdjoint(staging.get(v), acc);
            }
        });
        return out;
    }
}
