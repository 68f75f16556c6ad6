package io.ukiyoe.graphs.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Outputs and gradients of a SameDiff graph in one pass, as {@link SameDiff#calculateGradientsAndOutputs},
 * but with the session releasing each array after its last use. SameDiff M2.1 runs its gradient
 * function with the array cache switched off, so a training pass holds every forward activation and
 * every backward temporary until it ends: at 128 px with config-f channels that is over 20 GB, where
 * the arrays alive at any one time are a fraction of it. Running the same gradient function as an
 * ordinary inference call of it keeps SameDiff's own release bookkeeping (each array freed after its
 * last consumer, forward and backward ops alike), and {@link SessionMemory} reuses what is freed.
 */
public final class Backprop {
    private Backprop() {}

    /**
     * {@code outputs} of {@code sd} and the gradients of its loss variables w.r.t. {@code wrt} (by
     * variable name; absent where the loss does not reach a variable). The gradients are lent
     * ({@link SessionMemory#lending}): read them before {@code sd}'s next gradient call, which reuses
     * their memory.
     */
    public static OutAndGrad run(SameDiff sd, Map<String, INDArray> feed, Collection<String> outputs,
                                 Collection<String> wrt) {
        // the pool, not M2.1's array cache (which can hand one array out twice), must serve the cached call
        SessionMemory.install();
        if (sd.getFunction("grad") == null) {
            sd.createGradFunction();
        }
        SameDiff grad = sd.getFunction("grad");
        grad.setEnableCache(true);
        List<String> names = new ArrayList<>(outputs);
        Map<String, String> varOfGrad = new LinkedHashMap<>();
        for (String v : wrt) {
            SDVariable var = sd.getVariable(v);
            if (var == null) {
                throw new IllegalArgumentException("the graph has no variable " + v);
            }
            SDVariable g = var.getGradient();
            if (g != null) {
                varOfGrad.put(g.name(), v);
                names.add(g.name());
            }
        }
        Map<String, INDArray> values = SessionMemory.lending(varOfGrad.keySet(), () -> grad.output(feed, names));
        Map<String, INDArray> outs = new LinkedHashMap<>();
        for (String o : outputs) {
            outs.put(o, values.get(o));
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        varOfGrad.forEach((g, v) -> grads.put(v, values.get(g)));
        return new OutAndGrad(outs, grads);
    }

    /** The gradients alone ({@link #run} without outputs; lent in the same way). */
    public static Map<String, INDArray> gradients(SameDiff sd, Map<String, INDArray> feed, Collection<String> wrt) {
        return run(sd, feed, List.of(), wrt).getGradients();
    }
}
