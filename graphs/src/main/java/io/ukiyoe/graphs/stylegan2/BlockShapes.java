package io.ukiyoe.graphs.stylegan2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The shapes a graph's blocks must hand each other, asserted as stylegan2-ada's networks.py asserts them
 * at block boundaries. SameDiff M2.1 knows no activation shapes while a graph is built, so the graph
 * records what each block must produce ({@link #expect}) and whoever runs it checks the real arrays once,
 * as the graph's first pass computes them ({@link #run}): the later passes of a built graph differ only
 * in the batch.
 */
public final class BlockShapes {
    /** The batch dimension in an expected shape: any size. */
    public static final long BATCH = -1;

    private record Expected(SDVariable value, String where, long[] dims) {}

    private final List<Expected> expected = new ArrayList<>();
    private boolean checked;

    /** Records that {@code value} (at {@code where}, e.g. "synthesis b16 x") must have shape {@code dims}. */
    SDVariable expect(SDVariable value, String where, long... dims) {
        expected.add(new Expected(value, where, dims.clone()));
        return value;
    }

    /**
     * Runs one call of the graph ({@code call} passes the listeners on to SameDiff). On the first call a
     * listener notes each boundary's shape as the op computing it finishes, and the shapes are checked
     * after it: a mismatch is a bug in the graph, named by block. Nothing extra is fetched or kept (a
     * 1024 px generator's boundaries, fetched as outputs, held 0.25 GB until the call ended).
     */
    public Map<String, INDArray> run(Function<List<Listener>, Map<String, INDArray>> call) {
        if (checked) {
            return call.apply(List.of());
        }
        Map<String, long[]> seen = new HashMap<>();
        Map<String, INDArray> out = call.apply(List.of(new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
                                    INDArray[] outputs) {
                List<String> names = op.getOutputsOfOp();
                for (int i = 0; i < outputs.length && i < names.size(); i++) {
                    if (outputs[i] != null) {
                        seen.put(names.get(i), outputs[i].shape());
                    }
                }
            }
        }));
        for (Expected e : expected) {
            long[] shape = seen.get(e.value().name());
            if (shape == null) {
                throw new IllegalStateException(e.where() + ": not computed, so its shape cannot be checked");
            }
            if (!matches(shape, e.dims())) {
                throw new IllegalStateException(e.where() + ": shape " + Arrays.toString(shape) + ", expected "
                        + Arrays.toString(e.dims()).replace(String.valueOf(BATCH), "N"));
            }
        }
        checked = true;
        return out;
    }

    /** How many boundaries the graph declared. */
    public int size() {
        return expected.size();
    }

    private static boolean matches(long[] shape, long[] dims) {
        if (shape.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != BATCH && dims[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }
}
