package io.ukiyoe.graphs.stylegan2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shapes a graph's blocks must hand each other, asserted as stylegan2-ada's networks.py asserts them
 * at block boundaries. SameDiff M2.1 knows no activation shapes while a graph is built, so the graph
 * records what each block must produce ({@link #expect}) and whoever runs it checks the real arrays once,
 * on the graph's first pass ({@link #outputs}, then {@link #check}): the later passes of a built graph
 * differ only in the batch.
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

    /** The outputs to fetch: {@code wanted}, plus every boundary until the shapes have been checked once. */
    public String[] outputs(String... wanted) {
        if (checked) {
            return wanted;
        }
        List<String> all = new ArrayList<>(Arrays.asList(wanted));
        for (Expected e : expected) {
            all.add(e.value().name());
        }
        return all.toArray(String[]::new);
    }

    /**
     * Checks the boundaries' arrays among {@code out} (fetched with {@link #outputs}) and drops them from
     * it; a mismatch is a bug in the graph, named by block.
     */
    public Map<String, INDArray> check(Map<String, INDArray> out) {
        if (checked) {
            return out;
        }
        out = new java.util.HashMap<>(out);
        for (Expected e : expected) {
            INDArray a = out.get(e.value().name());
            if (a == null) {
                throw new IllegalStateException(e.where() + ": not computed, so its shape cannot be checked");
            }
            if (!matches(a.shape(), e.dims())) {
                throw new IllegalStateException(e.where() + ": shape " + Arrays.toString(a.shape()) + ", expected "
                        + Arrays.toString(e.dims()).replace(String.valueOf(BATCH), "N"));
            }
        }
        for (Expected e : expected) {
            out.remove(e.value().name());
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
