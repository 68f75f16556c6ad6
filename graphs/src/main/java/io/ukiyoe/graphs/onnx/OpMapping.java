package io.ukiyoe.graphs.onnx;

import static io.ukiyoe.graphs.onnx.OnnxGraph.integer;
import static io.ukiyoe.graphs.onnx.OnnxGraph.ints;
import static io.ukiyoe.graphs.onnx.OnnxGraph.real;
import static io.ukiyoe.graphs.onnx.OnnxGraph.string;

import io.ukiyoe.core.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import onnx.Onnx;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;

/**
 * One SameDiff op as ONNX (opset 17) nodes, by op name, writing the op's output under its SameDiff
 * name. Layouts differ in two places: SameDiff convolutions may run channels-last (ONNX's are NCHW
 * only, so the activations are transposed around them; ONNX Runtime cancels the pairs) and keep
 * their weights as [kH, kW, in, out] (permuted to ONNX's [out, in, kH, kW] once, in the file).
 */
final class OpMapping {
    private static final long[] TO_NCHW = {0, 3, 1, 2};
    private static final long[] TO_NHWC = {0, 2, 3, 1};

    private final OnnxGraph g;

    OpMapping(OnnxGraph g) {
        this.g = g;
    }

    void map(DifferentialFunction op) {
        String[] in = op.argNames();
        String out = op.outputVariablesNames()[0];
        switch (op.opName()) {
            case "identity" -> g.node("Identity", List.of(g.tensor(in[0])), out);
            case "add" -> binary("Add", in, out);
            case "subtract" -> binary("Sub", in, out);
            case "multiply" -> binary("Mul", in, out);
            case "divide" -> binary("Div", in, out);
            case "add_scalar" -> g.node("Add", List.of(g.tensor(in[0]), g.scalar(out + "/scalar", scalar(op))), out);
            case "sub_scalar" -> g.node("Sub", List.of(g.tensor(in[0]), g.scalar(out + "/scalar", scalar(op))), out);
            case "mul_scalar" -> g.node("Mul", List.of(g.tensor(in[0]), g.scalar(out + "/scalar", scalar(op))), out);
            case "div_scalar" -> g.node("Div", List.of(g.tensor(in[0]), g.scalar(out + "/scalar", scalar(op))), out);
            case "rsub_scalar" -> g.node("Sub", List.of(g.scalar(out + "/scalar", scalar(op)), g.tensor(in[0])), out);
            case "square" -> g.node("Mul", List.of(g.tensor(in[0]), g.tensor(in[0])), out);
            case "sqrt" -> g.node("Sqrt", List.of(g.tensor(in[0])), out);
            case "rsqrt" -> g.node("Reciprocal", List.of(g.temp("Sqrt", List.of(g.tensor(in[0])), out + "/sqrt")), out);
            case "tanh" -> g.node("Tanh", List.of(g.tensor(in[0])), out);
            case "sigmoid" -> g.node("Sigmoid", List.of(g.tensor(in[0])), out);
            case "relu" -> relu(op, in, out);
            case "leakyrelu" -> g.node("LeakyRelu", List.of(g.tensor(in[0])), out, real("alpha", scalar(op)));
            case "ClipByValue", "clipbyvalue" -> clip(op, in, out);
            case "reduce_mean" -> reduceMean(op, in, out);
            case "matmul" -> matmul(op, in, out);
            case "reshape" -> reshape(op, in, out);
            case "permute" -> g.node("Transpose", List.of(g.tensor(in[0])), out, ints("perm", intArgs(op, in, 1)));
            case "expand_dims" -> g.node("Unsqueeze", List.of(g.tensor(in[0]),
                    g.int64s(out + "/axes", intArgs(op, in, 1))), out);
            case "concat" -> concat(op, in, out);
            case "stack" -> stack(op, in, out);
            case "strided_slice" -> stridedSlice(op, in, out);
            case "pad" -> pad(op, in, out);
            case "conv2d" -> conv2d(op, in, out);
            case "deconv2d" -> deconv2d(op, in, out);
            case "depthwise_conv2d" -> depthwiseConv2d(op, in, out);
            case "avgpool2d" -> pool("AveragePool", op, in, out);
            case "maxpool2d" -> pool("MaxPool", op, in, out);
            default -> throw unsupported(op, "has no ONNX mapping");
        }
    }

    private void binary(String type, String[] in, String out) {
        g.node(type, List.of(g.tensor(in[0]), g.tensor(in[1])), out);
    }

    private void relu(DifferentialFunction op, String[] in, String out) {
        if (scalar(op) != 0) {
            throw unsupported(op, "has a cutoff of " + scalar(op) + " (only 0 maps to Relu)");
        }
        g.node("Relu", List.of(g.tensor(in[0])), out);
    }

    private void clip(DifferentialFunction op, String[] in, String out) {
        double[] t = custom(op).tArgs();
        if (t.length != 2) {
            throw unsupported(op, "takes its bounds as inputs");
        }
        g.node("Clip", List.of(g.tensor(in[0]), g.scalar(out + "/min", t[0]), g.scalar(out + "/max", t[1])), out);
    }

    private void reduceMean(DifferentialFunction op, String[] in, String out) {
        BaseReduceOp r = (BaseReduceOp) op;
        long[] axes = r.getDimensions() != null && r.getDimensions().length > 0
                ? Arrays.stream(r.getDimensions()).asLongStream().toArray()
                : in.length > 1 ? known(op, in[1], "its axes").toLongVector() : new long[0];
        if (axes.length == 0) {                                     // every axis: ONNX's default
            g.node("ReduceMean", List.of(g.tensor(in[0])), out, integer("keepdims", r.isKeepDims() ? 1 : 0));
            return;
        }
        g.node("ReduceMean", List.of(g.tensor(in[0])), out, ints("axes", axes), integer("keepdims", r.isKeepDims() ? 1 : 0));
    }

    /** libnd4j matmul: iArgs (transpose x, transpose y, transpose result), tArgs (alpha, beta). */
    private void matmul(DifferentialFunction op, String[] in, String out) {
        long[] i = custom(op).iArgs();
        double[] t = custom(op).tArgs();
        if (t.length > 0 && (t[0] != 1 || (t.length > 1 && t[1] != 0)) || in.length != 2) {
            throw unsupported(op, "scales or accumulates (alpha " + Arrays.toString(t) + ")");
        }
        String x = transposedIf(op, in[0], i.length > 0 && i[0] != 0);
        String y = transposedIf(op, in[1], i.length > 1 && i[1] != 0);
        if (i.length > 2 && i[2] != 0) {
            g.node("Transpose", List.of(g.temp("MatMul", List.of(x, y), out + "/product")), out, ints("perm", 1L, 0L));
            return;
        }
        g.node("MatMul", List.of(x, y), out);
    }

    private String transposedIf(DifferentialFunction op, String name, boolean transpose) {
        if (!transpose) {
            return g.tensor(name);
        }
        long[] shape = op.getSameDiff().getVariable(name).getShape();
        if (shape == null || shape.length != 2) {
            throw unsupported(op, "transposes an operand that is not a matrix");
        }
        return g.temp("Transpose", List.of(g.tensor(name)), name + "/T", ints("perm", 1L, 0L));
    }

    private void reshape(DifferentialFunction op, String[] in, String out) {
        long[] shape;
        if (in.length > 1) {
            shape = known(op, in[1], "its shape").toLongVector();
        } else {
            long[] i = custom(op).iArgs();
            if (i.length > 0 && i[0] == -'f') {
                throw unsupported(op, "reshapes in Fortran order");
            }
            shape = i.length > 0 && (i[0] == -'c') ? Arrays.copyOfRange(i, 1, i.length) : i;
        }
        g.node("Reshape", List.of(g.tensor(in[0]), g.int64s(out + "/shape", shape)), out);
    }

    private void concat(DifferentialFunction op, String[] in, String out) {
        long[] axis = custom(op).iArgs();
        if (axis.length != 1) {
            throw unsupported(op, "takes its axis as an input");
        }
        List<String> parts = new ArrayList<>();
        for (String s : in) {
            parts.add(g.tensor(s));
        }
        g.node("Concat", parts, out, integer("axis", axis[0]));
    }

    private void stack(DifferentialFunction op, String[] in, String out) {
        long axis = custom(op).iArgs()[0];
        List<String> parts = new ArrayList<>();
        for (String s : in) {
            parts.add(g.temp("Unsqueeze", List.of(g.tensor(s), g.int64s(out + "/axis", axis)), s + "/unsqueezed"));
        }
        g.node("Concat", parts, out, integer("axis", axis));
    }

    /**
     * libnd4j strided_slice: iArgs (begin mask, ellipsis mask, end mask, new-axis mask, shrink-axis
     * mask, begin..., end..., strides...). A masked bound means the whole axis; a shrunk axis is
     * the element at begin, then squeezed away.
     */
    private void stridedSlice(DifferentialFunction op, String[] in, String out) {
        long[] i = custom(op).iArgs();
        long[] begin;
        long[] end;
        long[] strides;
        if (in.length == 4) {
            begin = known(op, in[1], "its begin").toLongVector();
            end = known(op, in[2], "its end").toLongVector();
            strides = known(op, in[3], "its strides").toLongVector();
        } else {
            int r = (i.length - 5) / 3;
            begin = Arrays.copyOfRange(i, 5, 5 + r);
            end = Arrays.copyOfRange(i, 5 + r, 5 + 2 * r);
            strides = Arrays.copyOfRange(i, 5 + 2 * r, 5 + 3 * r);
        }
        long beginMask = i[0];
        long endMask = i[2];
        long shrinkMask = i[4];
        if (i[1] != 0 || i[3] != 0) {
            throw unsupported(op, "uses an ellipsis or a new axis");
        }
        List<Long> shrunk = new ArrayList<>();
        long[] axes = new long[begin.length];
        for (int a = 0; a < begin.length; a++) {
            axes[a] = a;
            boolean forward = strides[a] > 0;
            if ((shrinkMask >> a & 1) != 0) {
                end[a] = begin[a] == -1 ? Long.MAX_VALUE : begin[a] + 1;
                strides[a] = 1;
                shrunk.add((long) a);
                continue;
            }
            if ((beginMask >> a & 1) != 0) {
                begin[a] = forward ? 0 : -1;
            }
            if ((endMask >> a & 1) != 0) {
                end[a] = forward ? Long.MAX_VALUE : Long.MIN_VALUE;
            }
        }
        List<String> args = List.of(g.tensor(in[0]), g.int64s(out + "/starts", begin), g.int64s(out + "/ends", end),
                g.int64s(out + "/axes", axes), g.int64s(out + "/steps", strides));
        if (shrunk.isEmpty()) {
            g.node("Slice", args, out);
            return;
        }
        String sliced = g.temp("Slice", args, out + "/slice");
        g.node("Squeeze", List.of(sliced, g.int64s(out + "/squeezed_axes",
                shrunk.stream().mapToLong(Long::longValue).toArray())), out);
    }

    /** libnd4j pad: paddings [rank, 2] (an input), iArgs (mode: 0 constant, 1 reflect, 2 symmetric), tArgs (value). */
    private void pad(DifferentialFunction op, String[] in, String out) {
        long[] i = custom(op).iArgs();
        long mode = i.length > 0 ? i[0] : 0;
        if (mode == 2) {
            throw unsupported(op, "pads symmetrically");
        }
        INDArray p = known(op, in[1], "its paddings");
        int rank = (int) p.size(0);
        long[] pads = new long[2 * rank];
        for (int a = 0; a < rank; a++) {
            pads[a] = p.getLong(a, 0);
            pads[rank + a] = p.getLong(a, 1);
        }
        double[] t = custom(op).tArgs();
        double value = t.length > 0 ? t[0] : 0;
        g.node("Pad", List.of(g.tensor(in[0]), g.int64s(out + "/pads", pads), g.scalar(out + "/value", value)), out,
                string("mode", mode == 1 ? "reflect" : "constant"));
    }

    /**
     * libnd4j conv2d: iArgs (kH, kW, sH, sW, pH, pW, dH, dW, same mode, NHWC, weight format:
     * 0 [kH, kW, in, out], 1 [out, in, kH, kW], 2 [out, kH, kW, in]); optional bias input.
     */
    private void conv2d(DifferentialFunction op, String[] in, String out) {
        long[] i = custom(op).iArgs();
        long format = i.length > 10 ? i[10] : 0;
        long[] perm = format == 0 ? new long[] {3, 2, 0, 1} : format == 1 ? null : new long[] {0, 3, 1, 2};
        List<String> inputs = new ArrayList<>(List.of(channelsFirst(in[0], i[9] != 0), permutedWeight(op, in[1], perm, null)));
        if (in.length > 2) {
            inputs.add(g.tensor(in[2]));
        }
        convolution("Conv", inputs, out, i, i[9] != 0);
    }

    /** libnd4j deconv2d: iArgs as conv2d, weight [kH, kW, out, in] (ONNX: [in, out, kH, kW]). */
    private void deconv2d(DifferentialFunction op, String[] in, String out) {
        long[] i = custom(op).iArgs();
        if (i.length > 10 && i[10] != 0) {
            throw unsupported(op, "has weight format " + i[10]);
        }
        List<String> inputs = new ArrayList<>(List.of(channelsFirst(in[0], i[9] != 0),
                permutedWeight(op, in[1], new long[] {3, 2, 0, 1}, null)));
        if (in.length > 2) {
            inputs.add(g.tensor(in[2]));
        }
        convolution("ConvTranspose", inputs, out, i, i[9] != 0);
    }

    /** libnd4j depthwise_conv2d: weight [kH, kW, in, multiplier], output channel c * multiplier + m: a grouped conv. */
    private void depthwiseConv2d(DifferentialFunction op, String[] in, String out) {
        long[] i = custom(op).iArgs();
        INDArray w = known(op, in[1], "its weight");
        long channels = w.size(2);
        long[] oihw = {channels * w.size(3), 1, w.size(0), w.size(1)};
        List<String> inputs = new ArrayList<>(List.of(channelsFirst(in[0], i[9] != 0),
                permutedWeight(op, in[1], new long[] {2, 3, 0, 1}, oihw)));
        if (in.length > 2) {
            inputs.add(g.tensor(in[2]));
        }
        convolution("Conv", inputs, out, i, i[9] != 0, integer("group", channels));
    }

    private void convolution(String type, List<String> inputs, String out, long[] i, boolean nhwc,
                             Onnx.AttributeProto... extra) {
        List<Onnx.AttributeProto> a = new ArrayList<>(List.of(ints("kernel_shape", i[0], i[1]),
                ints("strides", i[2], i[3]), ints("dilations", i[6], i[7])));
        a.add(i[8] != 0 ? string("auto_pad", "SAME_UPPER") : ints("pads", i[4], i[5], i[4], i[5]));
        for (var e : extra) {
            a.add(e);
        }
        finish(type, inputs, out, nhwc, a);
    }

    /**
     * libnd4j avgpool2d / maxpool2d: iArgs (kH, kW, sH, sW, pH, pW, dH, dW, same mode, extra, NHWC),
     * extra of the average pool: 1 counts the padding in the divisor.
     */
    private void pool(String type, DifferentialFunction op, String[] in, String out) {
        long[] i = custom(op).iArgs();
        if (i[6] != 1 || i[7] != 1) {
            throw unsupported(op, "is dilated");
        }
        boolean nhwc = i.length > 10 && i[10] != 0;
        List<Onnx.AttributeProto> a = new ArrayList<>(List.of(ints("kernel_shape", i[0], i[1]), ints("strides", i[2], i[3])));
        a.add(i[8] != 0 ? string("auto_pad", "SAME_UPPER") : ints("pads", i[4], i[5], i[4], i[5]));
        if (type.equals("AveragePool")) {
            a.add(integer("count_include_pad", i[9] == 1 ? 1 : 0));
        }
        finish(type, List.of(channelsFirst(in[0], nhwc)), out, nhwc, a);
    }

    /** The NCHW node, and for channels-last graphs its output transposed back under the op's name. */
    private void finish(String type, List<String> inputs, String out, boolean nhwc, List<Onnx.AttributeProto> a) {
        Onnx.AttributeProto[] attrs = a.toArray(new Onnx.AttributeProto[0]);
        if (!nhwc) {
            g.node(type, inputs, out, attrs);
            return;
        }
        String y = g.temp(type, inputs, out + "/nchw", attrs);
        g.node("Transpose", List.of(y), out, ints("perm", TO_NHWC));
    }

    private String channelsFirst(String x, boolean nhwc) {
        return nhwc ? g.temp("Transpose", List.of(g.tensor(x)), x + "/nchw", ints("perm", TO_NCHW)) : g.tensor(x);
    }

    /**
     * A weight in ONNX's layout: permuted (and reshaped) once into a new initializer when its value
     * is known at export time, by Transpose (and Reshape) nodes otherwise.
     */
    private String permutedWeight(DifferentialFunction op, String name, long[] perm, long[] shape) {
        INDArray w = g.knownValue(name);
        if (w != null) {
            INDArray v = perm == null ? w : w.permute(java.util.Arrays.stream(perm).mapToInt(Math::toIntExact).toArray());
            return g.constant(name + "/onnx", shape == null ? v.dup('c') : v.dup('c').reshape('c', shape));
        }
        String t = perm == null ? g.tensor(name)
                : g.temp("Transpose", List.of(g.tensor(name)), name + "/onnx", ints("perm", perm));
        if (shape == null) {
            return t;
        }
        return g.temp("Reshape", List.of(t, g.int64s(name + "/onnx_shape", shape)), name + "/onnx");
    }

    /** An op argument read from iArgs, or from a second input known at export time. */
    private long[] intArgs(DifferentialFunction op, String[] in, int index) {
        long[] i = custom(op).iArgs();
        if (i.length > 0) {
            return i;
        }
        if (in.length > index) {
            return known(op, in[index], "its arguments").toLongVector();
        }
        throw unsupported(op, "has no arguments");
    }

    private INDArray known(DifferentialFunction op, String name, String what) {
        INDArray v = g.knownValue(name);
        if (v == null) {
            throw unsupported(op, "computes " + what + " ('" + name + "') at run time");
        }
        return v;
    }

    private static double scalar(DifferentialFunction op) {
        if (op instanceof ScalarOp s && s.scalar() != null) {
            return s.scalar().getDouble(0);
        }
        throw unsupported(op, "has no scalar argument");
    }

    private static CustomOp custom(DifferentialFunction op) {
        if (op instanceof CustomOp c) {
            return c;
        }
        throw unsupported(op, "is not a custom op");
    }

    private static UserError unsupported(DifferentialFunction op, String why) {
        return new UserError("ONNX export: SameDiff op '" + op.opName() + "' (" + op.getOwnName() + ") " + why);
    }
}
