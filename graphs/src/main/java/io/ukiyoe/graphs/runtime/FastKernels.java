package io.ukiyoe.graphs.runtime;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
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

    /** A kernel writing an op's outputs (fresh arrays of the op's output shapes) from its inputs. */
    interface Kernel {
        void run(INDArray[] in, INDArray[] out);
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
        return null;
    }

    /** leaky_relu(x, a) = max(x, a x) for 0 < a < 1: a x is computed as libnd4j's kernel computes it. */
    private static Kernel leakyRelu(double a) {
        if (!(a > 0 && a < 1)) {
            return null;
        }
        Sub times = new Sub(new ScalarMultiplication(unit(), null, unit(), a));
        Sub max = new Sub(new Max(unit(), unit(), unit()));
        return (in, out) -> {
            times.run(out[0], in[0]);
            max.run(out[0], in[0], out[0]);
        };
    }

    /** lrelu_bp(x, g) = g where x > 0, a g elsewhere (at 0 too): g times the slope step(x) (1 - a) + a. */
    private static Kernel leakyReluGradient(double a) {
        Sub step = new Sub(new Step(unit(), unit(), 0.0));
        Sub times = new Sub(new ScalarMultiplication(unit(), null, unit(), 1 - a));
        Sub plus = new Sub(new ScalarAdd(unit(), null, unit(), a));
        Sub product = new Sub(new MulOp(unit(), unit(), unit()));
        return (in, out) -> {
            INDArray s = out[0];
            step.run(s, in[0]);
            times.run(s, s);
            plus.run(s, s);
            product.run(s, s, in[1]);
        };
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
