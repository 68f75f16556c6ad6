package io.ukiyoe.graphs.onnx;

import java.util.List;

/**
 * A graph input or output of an exported ONNX model: its name (the SameDiff variable's) and its
 * float32 shape, each axis a fixed size or a symbolic name (a dynamic axis such as the batch "N").
 */
public record OnnxPort(String name, List<Object> dims) {
    public OnnxPort {
        for (Object d : dims) {
            if (!(d instanceof String) && !(d instanceof Long)) {
                throw new IllegalArgumentException(name + ": an axis is a size (long) or a symbolic name, got " + d);
            }
        }
        dims = List.copyOf(dims);
    }

    /** {@code of("z", "N", 512)}: axes given as symbolic names (String) or sizes (any integral number). */
    public static OnnxPort of(String name, Object... dims) {
        Object[] d = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i] instanceof Number n ? (Object) n.longValue() : dims[i];
        }
        return new OnnxPort(name, List.of(d));
    }
}
