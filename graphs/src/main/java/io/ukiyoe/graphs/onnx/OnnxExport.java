package io.ukiyoe.graphs.onnx;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a SameDiff inference graph as an ONNX model (opset 17) that ONNX Runtime and other ONNX
 * tools run: the ops between the given placeholders and outputs, each mapped by {@link OpMapping};
 * whatever depends on constants alone (prepared weights, permuted kernels, pad amounts) is computed
 * here once and stored as initializers.
 */
public final class OnnxExport {
    public static final int OPSET = 17;
    /** The IR version that goes with opset 17 (ONNX 1.12). */
    static final int IR_VERSION = 8;

    private OnnxExport() {}

    /**
     * @param inputs   placeholders of {@code sd}, with the shapes (and dynamic axes) the file declares
     * @param outputs  variables of {@code sd} the model returns
     * @param metadata key-value pairs stored in the model (what network, how it was exported)
     */
    public static Onnx.ModelProto model(SameDiff sd, String name, List<OnnxPort> inputs, List<OnnxPort> outputs,
                                        Map<String, String> metadata) {
        for (OnnxPort p : inputs) {
            SDVariable v = sd.getVariable(p.name());
            if (v == null || v.getVariableType() != VariableType.PLACEHOLDER) {
                throw new IllegalArgumentException("ONNX export: '" + p.name() + "' is not a placeholder of the graph");
            }
        }
        List<DifferentialFunction> needed = opsFor(sd, outputs);
        OnnxGraph g = new OnnxGraph(name, knownValues(sd, needed), sd.variableMap().keySet());
        for (OnnxPort p : inputs) {
            g.proto().addInput(valueInfo(p));
        }
        OpMapping mapping = new OpMapping(g);
        for (DifferentialFunction op : needed) {
            mapping.map(op);
        }
        for (OnnxPort p : outputs) {
            g.tensor(p.name());                         // an output known at export time is an initializer
            g.proto().addOutput(valueInfo(p));
        }
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .setProducerName("ukiyoe").setGraph(g.proto())
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** {@link #model} written to {@code out} (a temporary file renamed into place). */
    public static void write(SameDiff sd, String name, List<OnnxPort> inputs, List<OnnxPort> outputs,
                             Map<String, String> metadata, Path out) {
        Onnx.ModelProto model = model(sd, name, inputs, outputs, metadata);
        try {
            AtomicFiles.write(out, model::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The ops, in graph order, that the outputs need and that read a placeholder, directly or not;
     * ops on constants alone are left to {@link #knownValues}.
     */
    private static List<DifferentialFunction> opsFor(SameDiff sd, List<OnnxPort> outputs) {
        Set<String> dynamic = new HashSet<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.PLACEHOLDER) {
                dynamic.add(v.name());
            }
        }
        List<DifferentialFunction> ops = new ArrayList<>();
        for (DifferentialFunction op : sd.ops()) {
            for (String a : op.argNames()) {
                if (dynamic.contains(a)) {
                    ops.add(op);
                    dynamic.addAll(List.of(op.outputVariablesNames()));
                    break;
                }
            }
        }
        Set<String> wanted = new HashSet<>();
        for (OnnxPort p : outputs) {
            if (sd.getVariable(p.name()) == null) {
                throw new IllegalArgumentException("ONNX export: the graph has no variable '" + p.name() + "'");
            }
            wanted.add(p.name());
        }
        List<DifferentialFunction> needed = new ArrayList<>();
        for (int i = ops.size() - 1; i >= 0; i--) {
            DifferentialFunction op = ops.get(i);
            if (List.of(op.outputVariablesNames()).stream().anyMatch(wanted::contains)) {
                needed.add(0, op);
                wanted.addAll(List.of(op.argNames()));
            }
        }
        return needed;
    }

    /** The values the ops read that do not depend on a placeholder, computed once by SameDiff. */
    private static Map<String, INDArray> knownValues(SameDiff sd, List<DifferentialFunction> ops) {
        Set<String> computed = new HashSet<>();
        for (DifferentialFunction op : ops) {
            computed.addAll(List.of(op.outputVariablesNames()));
        }
        Map<String, INDArray> known = new LinkedHashMap<>();
        List<String> derived = new ArrayList<>();
        for (DifferentialFunction op : ops) {
            for (String a : op.argNames()) {
                SDVariable v = sd.getVariable(a);
                if (computed.contains(a) || v.getVariableType() == VariableType.PLACEHOLDER || known.containsKey(a)
                        || derived.contains(a)) {
                    continue;
                }
                if (v.getVariableType() == VariableType.ARRAY) {
                    derived.add(a);
                } else {
                    known.put(a, v.getArr());
                }
            }
        }
        if (!derived.isEmpty()) {
            known.putAll(sd.output(new HashMap<>(), derived));
        }
        for (Map.Entry<String, INDArray> e : known.entrySet()) {
            if (e.getValue() == null) {
                throw new UserError("ONNX export: graph variable '" + e.getKey() + "' has no value");
            }
        }
        return known;
    }

    private static Onnx.ValueInfoProto valueInfo(OnnxPort p) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (Object d : p.dims()) {
            shape.addDim(d instanceof String s ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(s)
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue((Long) d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(p.name()).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }
}
