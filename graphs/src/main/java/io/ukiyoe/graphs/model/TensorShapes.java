package io.ukiyoe.graphs.model;

import io.ukiyoe.core.io.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of a torch network's tensors against the names and shapes its inferred architecture needs. */
public final class TensorShapes {
    private TensorShapes() {}

    /**
     * Every expected tensor present with its shape and nothing else; otherwise an
     * {@link IllegalArgumentException} naming the first key that does not fit.
     */
    public static void requireExactly(Map<String, Tensor> tensors, Map<String, long[]> expected, String what) {
        for (var e : expected.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(what + ": missing tensor '" + e.getKey() + "' (shape "
                        + Arrays.toString(e.getValue()) + ")");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException(what + ": tensor '" + e.getKey() + "' has shape " + t.shapeString()
                        + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        for (String k : tensors.keySet()) {
            if (!expected.containsKey(k)) {
                throw new IllegalArgumentException(what + ": unexpected tensor '" + k + "'");
            }
        }
    }

    /** The shape of {@code name}, or an error naming it when missing or not of {@code rank}. */
    public static long[] shape(Map<String, Tensor> tensors, String name, int rank, String what) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(what + ": missing tensor '" + name + "'");
        }
        if (t.rank() != rank) {
            throw new IllegalArgumentException(what + ": tensor '" + name + "' has shape " + t.shapeString()
                    + ", expected rank " + rank);
        }
        return t.shape();
    }

    /** The distinct integers that group 1 of {@code pattern} captures over all names, ascending. */
    public static List<Integer> indices(Iterable<String> names, Pattern pattern) {
        List<Integer> out = new ArrayList<>();
        for (String n : names) {
            Matcher m = pattern.matcher(n);
            if (m.matches()) {
                int i = Integer.parseInt(m.group(1));
                if (!out.contains(i)) {
                    out.add(i);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Adds a conv's weight and bias to an expected-shape map. */
    public static void conv(LinkedHashMap<String, long[]> into, String prefix, long... weightShape) {
        into.put(prefix + "weight", weightShape);
        into.put(prefix + "bias", new long[] {weightShape[0]});
    }

    /** Adds a transposed conv's weight {@code [I, O, k, k]} and bias {@code [O]}. */
    public static void convTranspose(LinkedHashMap<String, long[]> into, String prefix, long... weightShape) {
        into.put(prefix + "weight", weightShape);
        into.put(prefix + "bias", new long[] {weightShape[1]});
    }
}
