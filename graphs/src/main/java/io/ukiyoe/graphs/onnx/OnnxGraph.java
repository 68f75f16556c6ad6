package io.ukiyoe.graphs.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.ByteString;

/**
 * An ONNX graph under construction: nodes in order, and initializers for the values known at export
 * time (SameDiff constants and everything computed from them alone), written only when a node reads
 * them as tensors (a pad amount or a shape read as an attribute stays out of the file).
 */
final class OnnxGraph {
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Map<String, INDArray> known;
    private final Set<String> names = new HashSet<>();
    private final Set<String> written = new HashSet<>();

    /**
     * @param known values known at export time, by SameDiff variable name
     * @param taken every SameDiff variable name (new tensors never take one)
     */
    OnnxGraph(String name, Map<String, INDArray> known, java.util.Collection<String> taken) {
        this.known = known;
        graph.setName(name);
        names.addAll(known.keySet());
        names.addAll(taken);
    }

    Onnx.GraphProto.Builder proto() {
        return graph;
    }

    /** The value of a tensor known at export time, or null when it is computed from the inputs. */
    INDArray knownValue(String name) {
        return known.get(name);
    }

    /** A tensor for a node to read: a known value becomes an initializer on first use. */
    String tensor(String name) {
        INDArray v = known.get(name);
        if (v != null && written.add(name)) {
            graph.addInitializer(tensorProto(name, v));
        }
        return name;
    }

    /** A new initializer holding {@code value}, under a fresh name built from {@code hint}. */
    String constant(String hint, INDArray value) {
        String name = fresh(hint);
        written.add(name);
        graph.addInitializer(tensorProto(name, value));
        return name;
    }

    /** An int64 initializer (shapes, axes, pads) under a fresh name. */
    String int64s(String hint, long... values) {
        return constant(hint, Nd4j.createFromArray(values));
    }

    /** A float32 scalar initializer under a fresh name. */
    String scalar(String hint, double value) {
        return constant(hint, Nd4j.scalar(DataType.FLOAT, value));
    }

    /** A tensor name not used yet, {@code hint} itself when free. */
    String fresh(String hint) {
        String name = hint;
        for (int i = 1; names.contains(name); i++) {
            name = hint + "_" + i;
        }
        names.add(name);
        return name;
    }

    /** Adds a node writing {@code output} (the name is claimed here if new); returns the output name. */
    String node(String opType, List<String> inputs, String output, Onnx.AttributeProto... attributes) {
        names.add(output);
        graph.addNode(Onnx.NodeProto.newBuilder().setOpType(opType).setName(output)
                .addAllInput(inputs).addOutput(output).addAllAttribute(List.of(attributes)));
        return output;
    }

    /** Adds a node writing a fresh tensor named after {@code hint}. */
    String temp(String opType, List<String> inputs, String hint, Onnx.AttributeProto... attributes) {
        return node(opType, inputs, fresh(hint), attributes);
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static Onnx.AttributeProto ints(String name, int... values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        return ints(name, l);
    }

    static Onnx.AttributeProto integer(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    static Onnx.AttributeProto real(String name, double value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF((float) value).build();
    }

    static Onnx.AttributeProto string(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    /** Floating-point arrays as float32, integer ones as int64, raw little-endian. */
    static Onnx.TensorProto tensorProto(String name, INDArray value) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name);
        for (long d : value.shape()) {
            t.addDims(d);
        }
        long n = value.length();
        ByteBuffer bytes;
        if (value.dataType().isFPType()) {
            t.setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
            float[] f = value.castTo(DataType.FLOAT).dup('c').data().asFloat();
            bytes = ByteBuffer.allocate(Math.toIntExact(4 * n)).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(f, 0, (int) n);
        } else {
            t.setDataType(Onnx.TensorProto.DataType.INT64_VALUE);
            long[] l = value.castTo(DataType.LONG).dup('c').data().asLong();
            bytes = ByteBuffer.allocate(Math.toIntExact(8 * n)).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asLongBuffer().put(l, 0, (int) n);
        }
        return t.setRawData(ByteString.copyFrom(bytes.array())).build();
    }
}
