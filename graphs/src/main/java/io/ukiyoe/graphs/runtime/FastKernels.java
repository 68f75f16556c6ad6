package io.ukiyoe.graphs.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.MulBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Faster equivalents of slow libnd4j kernels, built from its vectorised elementwise ops, that an
 * {@link ExecutionPlan} runs in their place: the same values to the bit (FastKernelsTest), so a graph
 * computes the same with or without a plan. libnd4j M2.1's leakyrelu and lrelu_bp branch per element
 * and take 7 and 11 ms on 2M floats here, where a scalar or pairwise op takes 0.2-0.5 ms: in a 64 px
 * training step they were an eighth of the op time. {@code -Dukiyoe.kernels=false} runs libnd4j's own.
 */
final class FastKernels {
    /** Whether plans substitute these kernels (the system property {@code ukiyoe.kernels}). */
    static volatile boolean enabled = !"false".equals(System.getProperty("ukiyoe.kernels"));

    /** Substituted kernels run so far (for tests). */
    static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A kernel writing an op's outputs (fresh arrays of the op's output shapes) from its inputs, with
     * scratch arrays from {@code memory}; false where it does not cover these inputs (libnd4j's runs).
     */
    interface Kernel {
        boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory);
    }

    private FastKernels() {}

    /** The faster kernel for {@code op}, or null where libnd4j's own is used. */
    static Kernel of(DifferentialFunction op) {
        if (!enabled) {
            return null;
        }
        if (op instanceof LeakyReLU l) {
            return leakyRelu(((ScalarOp) l).scalar().getDouble(0));
        }
        if (op instanceof LeakyReLUBp bp && bp.tArgs().length == 1) {
            return leakyReluGradient(bp.tArgs()[0]);
        }
        if (op instanceof MulBpOp) {
            return new BroadcastProductGradient();
        }
        return null;
    }

    /** leaky_relu(x, a) = max(x, a x) for 0 < a < 1: a x is computed as libnd4j's kernel computes it. */
    private static Kernel leakyRelu(double a) {
        if (!(a > 0 && a < 1)) {
            return null;
        }
        Sub times = new Sub(new ScalarMultiplication(unit(), null, unit(), a));
        Sub max = new Sub(new Max(unit(), unit(), unit()));
        return (in, out, memory) -> {
            times.run(out[0], in[0]);
            max.run(out[0], in[0], out[0]);
            return true;
        };
    }

    /** lrelu_bp(x, g) = g where x > 0, a g elsewhere (at 0 too): g times the slope step(x) (1 - a) + a. */
    private static Kernel leakyReluGradient(double a) {
        Sub step = new Sub(new Step(unit(), unit(), 0.0));
        Sub times = new Sub(new ScalarMultiplication(unit(), null, unit(), 1 - a));
        Sub plus = new Sub(new ScalarAdd(unit(), null, unit(), a));
        Sub product = new Sub(new MulOp(unit(), unit(), unit()));
        return (in, out, memory) -> {
            INDArray s = out[0];
            step.run(s, in[0]);
            times.run(s, s);
            plus.run(s, s);
            product.run(s, s, in[1]);
            return true;
        };
    }

    /**
     * The gradients of x * y (multiply_bp) where one operand is broadcast: g y and g x, each summed down
     * to its operand's shape. libnd4j M2.1's multiply_bp took 40 ms on [8, 64, 64, 32] x [8, 1, 1, 32]
     * where these products and sums take 1.6 ms. A sum over leading axes is a product with a row of
     * ones, others are libnd4j's reduce_sum: the sums are taken in another order than libnd4j's, so
     * they agree to rounding, not to the bit. Same-shape operands keep libnd4j's kernel. (add_bp's sum
     * of a bias gradient took as long this way as libnd4j's: it is not substituted.)
     */
    private static final class BroadcastProductGradient implements Kernel {
        private final Sub multiply = new Sub(new MulOp(unit(), unit(), unit()));
        private final Map<String, Sub> sums = new HashMap<>();

        @Override
        public boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory) {
            INDArray x = in[0];
            INDArray y = in[1];
            INDArray g = in[2];
            if (Arrays.equals(x.shape(), y.shape()) || g.dataType() != DataType.FLOAT
                    || x.dataType() != DataType.FLOAT || y.dataType() != DataType.FLOAT) {
                return false;
            }
            gradient(g, y, out[0], memory);
            gradient(g, x, out[1], memory);
            return true;
        }

        /** into = g times other (broadcast), summed down to into's shape. */
        private void gradient(INDArray g, INDArray other, INDArray into, SessionMemMgr memory) {
            if (Arrays.equals(into.shape(), g.shape())) {
                multiply.run(into, g, other);
                return;
            }
            INDArray full = memory.allocate(false, LongShapeDescriptor.fromShape(g.shape(), DataType.FLOAT));
            multiply.run(full, g, other);
            sumTo(full, into);
            memory.release(full);
        }

        /** into = src summed over the axes where into (aligned right) has extent 1. */
        private void sumTo(INDArray src, INDArray into) {
            long[] s = src.shape();
            long[] t = into.shape();
            if (Arrays.equals(s, t)) {
                into.assign(src);
                return;
            }
            int lead = s.length - t.length;
            List<Integer> dims = new ArrayList<>();
            List<Long> kept = new ArrayList<>();
            for (int i = 0; i < s.length; i++) {
                long ti = i < lead ? 1 : t[i - lead];
                if (ti == 1 && s[i] != 1) {
                    dims.add(i);
                } else {
                    kept.add(s[i]);
                }
            }
            int k = dims.size();
            boolean leading = k > 0 && dims.get(k - 1) == k - 1;
            if (leading && src.ordering() == 'c' && Shape.hasDefaultStridesForShape(src)) {
                long rows = 1;
                for (int i = 0; i < k; i++) {
                    rows *= s[i];
                }
                INDArray row = src.reshape(rows, src.length() / rows);
                INDArray target = into.reshape(1, row.columns());
                Nd4j.gemm(ones(rows), row, target, false, false, 1.0, 0.0);
                if (target.data() != into.data()) {
                    into.assign(target.reshape(t));
                }
                return;
            }
            int[] axes = dims.stream().mapToInt(Integer::intValue).toArray();
            Sub sum = sums.computeIfAbsent(Arrays.toString(axes), key -> new Sub(DynamicCustomOp.builder("reduce_sum")
                    .addInputs(unit()).addOutputs(unit()).addIntegerArguments(axes).addBooleanArguments(false).build()));
            INDArray target = into.reshape(kept.stream().mapToLong(Long::longValue).toArray());
            sum.run(target, src);
            if (target.data() != into.data()) {
                into.assign(target.reshape(t));
            }
        }
    }

    /** Rows of ones [1, n], shared (read-only) by every kernel. */
    private static final Map<Long, INDArray> ONES = new java.util.concurrent.ConcurrentHashMap<>();

    private static INDArray ones(long n) {
        return ONES.computeIfAbsent(n, k -> Nd4j.ones(DataType.FLOAT, 1, k));
    }

    /** A placeholder array for building an op whose arrays come from its context. */
    private static INDArray unit() {
        return Nd4j.scalar(0f);
    }

    /** One libnd4j op of a kernel with its own op context (as the plan runs ops: no allocation per call). */
    private static final class Sub {
        private final Object op;          // a legacy Op or a CustomOp
        private final OpContext context = Nd4j.getExecutioner().buildContext();

        Sub(Object op) {
            this.op = op;
            if (op instanceof DynamicCustomOp c) {
                context.setIArguments(c.iArgs());
                context.setTArguments(c.tArgs());
                context.setBArguments(c.bArgs());
            }
        }

        void run(INDArray out, INDArray... in) {
            context.setInputArrays(in);
            context.setOutputArrays(out);
            if (op instanceof CustomOp c) {
                Nd4j.getExecutioner().exec(c, context);
            } else {
                Nd4j.getExecutioner().exec((Op) op, context);
            }
            context.purge();
        }
    }
}
