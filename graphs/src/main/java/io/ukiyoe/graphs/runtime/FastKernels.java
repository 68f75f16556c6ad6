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
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.reduce.MmulBp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.PowDerivative;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.AddBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.MulBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.SubBpOp;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Equivalents of libnd4j kernels, built from its vectorised ops, that an {@link ExecutionPlan} runs in
 * their place, for speed or for memory:
 * <ul>
 *   <li>leakyrelu and lrelu_bp: libnd4j M2.1's branch per element and take 7 and 11 ms on 2M floats
 *       here, where a scalar or pairwise op takes 0.2-0.5 ms (an eighth of a 64 px training step's op
 *       time). The same values to the bit, but for the gradient at x = 0: torch's a g (libnd4j's: g).</li>
 *   <li>multiply_bp with a broadcast operand: libnd4j's took 40 ms on [8, 64, 64, 32] x [8, 1, 1, 32],
 *       two products and a sum 1.6 ms.</li>
 *   <li>add_bp, subtract_bp and the 2x2 stride-1 avgpool2d_bp need only the shapes of their forward
 *       inputs, which libnd4j's kernels take as arrays: a plan would keep every such array alive until
 *       the backward pass reached it (each bias's conv output, each blur's pooled maps). These kernels
 *       never read them ({@link Kernel#shapeOnly}), so the plan frees them after their forward use.
 *       Their sums over a run of axes are matrix products (4-9x faster than reduce_sum on a bias's
 *       gradient at 64 px).</li>
 *   <li>the derivative of square as 2 x (libnd4j's per-element pow took 0.6 ms on 83,000 floats).</li>
 *   <li>means over one run of axes (instance norm's over H and W of channels-last maps) as the same
 *       products, times 1 / R: libnd4j's reduce_mean took 48 ms on [1, 512, 512, 64] over (1, 2).</li>
 *   <li>ops of which the plan reads only some outputs ({@link #of}):
 *       a conv's input gradient alone as the transposed conv, one gradient of a matrix product alone as
 *       one product.</li>
 * </ul>
 * Sums are taken in another order than libnd4j's, so kernels that sum agree with it to rounding, not to
 * the bit (FastKernelsTest). {@code -Dukiyoe.kernels=false} runs libnd4j's own kernels.
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

        /**
         * Whether input {@code j} is read only for its shape: the plan may then hand the kernel a stand-in
         * of that shape (every value 0, which is also what listeners see of it), and the kernel must then
         * run (it may not answer false) and take each output's shape from {@link #outputLike}.
         */
        default boolean shapeOnly(int j) {
            return false;
        }

        /** For kernels with shape-only inputs: the input whose shape and type output {@code i} has. */
        default int outputLike(int i) {
            throw new UnsupportedOperationException();
        }
    }

    private FastKernels() {}

    /**
     * The kernel for {@code op}, whose outputs are of {@code type}, or null where libnd4j's own is used
     * (not float32). {@code live} marks the outputs that are read (null: all); a kernel may leave the
     * others as they are.
     */
    static Kernel of(DifferentialFunction op, DataType type, boolean[] live) {
        if (!enabled || type != DataType.FLOAT) {
            return null;
        }
        if (op instanceof Conv2DDerivative c && live != null && live.length >= 2 && live[0]
                && noneFrom(live, 1)) {
            Kernel k = ConvInputGradient.of(c.iArgs());
            if (k != null) {
                return k;
            }
        }
        if (op instanceof LeakyReLU l) {
            return leakyRelu(((ScalarOp) l).scalar().getDouble(0));
        }
        if (op instanceof LeakyReLUBp bp && bp.tArgs().length == 1) {
            return leakyReluGradient(bp.tArgs()[0]);
        }
        if (op instanceof MmulBp m && live != null && live.length == 2 && live[0] != live[1]
                && Arrays.stream(m.iArgs()).allMatch(a -> a == 0)) {
            return new ProductGradient(live[0]);
        }
        if (op instanceof PowDerivative p && ((ScalarOp) p).scalar().getDouble(0) == 2.0) {
            return squareDerivative();
        }
        if (op instanceof MulBpOp) {
            return new BroadcastProductGradient();
        }
        if (op instanceof AddBpOp) {
            return new SumGradient(false);
        }
        if (op instanceof SubBpOp) {
            return new SumGradient(true);
        }
        if (op instanceof Pooling2DDerivative p && "avgpool2d_bp".equals(p.opName())) {
            return PoolGradient.of(p.iArgs());
        }
        if (op instanceof Mean m && m.isKeepDims()) {
            return new MeanOfRun();
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

    /**
     * lrelu_bp(x, g) = g where x > 0, a g elsewhere (at 0 too): g times the slope step(x) (1 - a) + a.
     * (libnd4j's leaky-ReLU derivative makes the slope in one pass but gives 1 at x = 0, not torch's a.)
     */
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
     * The derivative of x^2 (SameDiff's gradient of square), 2 x^1, as libnd4j's pow derivative computes
     * it (2 pow(x, 1), the same values as 2 x) without its per-element pow: 0.6 ms on [3, 3, 96, 96].
     */
    private static Kernel squareDerivative() {
        Sub twice = new Sub(new ScalarMultiplication(unit(), null, unit(), 2.0));
        return (in, out, memory) -> {
            twice.run(out[0], in[0]);
            return true;
        };
    }

    /**
     * The gradients of x * y (multiply_bp) where one operand is broadcast: g y and g x, each summed down
     * to its operand's shape. Same-shape operands keep libnd4j's kernel.
     */
    private static final class BroadcastProductGradient implements Kernel {
        private final Sub multiply = new Sub(new MulOp(unit(), unit(), unit()));
        private final Reducer reducer = new Reducer();

        @Override
        public boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory) {
            INDArray x = in[0];
            INDArray y = in[1];
            INDArray g = in[2];
            if (Arrays.equals(x.shape(), y.shape()) || !floats(x, y, g)) {
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
            INDArray full = memory.allocate(false, LongShapeDescriptor.fromShape(g.shape(), g.dataType()));
            multiply.run(full, g, other);
            reducer.sumTo(full, into, memory);
            memory.release(full);
        }
    }

    /**
     * The gradients of x + y (add_bp) or x - y (subtract_bp): g, and g or -g, each summed down to its
     * operand's shape. x and y are read only for their shapes.
     */
    private static final class SumGradient implements Kernel {
        private final boolean negateSecond;
        private final Reducer reducer = new Reducer();
        private final Sub negate = new Sub(new ScalarMultiplication(unit(), null, unit(), -1.0));

        SumGradient(boolean negateSecond) {
            this.negateSecond = negateSecond;
        }

        @Override
        public boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory) {
            reducer.sumTo(in[2], out[0], memory);
            reducer.sumTo(in[2], out[1], memory);
            if (negateSecond) {
                negate.run(out[1], out[1]);
            }
            return true;
        }

        @Override
        public boolean shapeOnly(int j) {
            return j < 2;
        }

        @Override
        public int outputLike(int i) {
            return i;
        }
    }

    /**
     * The gradient of a 2x2 average pool with stride 1, no padding (the blurs' pools), which needs the
     * input only for its shape: libnd4j's own kernel, handed whatever the plan gives for the input (a
     * stand-in of the shape once the input is released). It does not read the values of the input of
     * an average pool: the same values with a stand-in as with the input (FastKernelsTest), and
     * faster than the pool of the padded gradient it replaced (0.99 against 1.2 ms on [16, 65, 65, 32]).
     */
    private static final class PoolGradient implements Kernel {
        private final Sub gradient;

        /** iArgs: kH, kW, sH, sW, pH, pW, dH, dW, same mode, divisor mode, NHWC. */
        static PoolGradient of(long[] a) {
            boolean plain = a.length >= 11 && a[0] == 2 && a[1] == 2 && a[2] == 1 && a[3] == 1 && a[4] == 0 && a[5] == 0
                    && a[6] == 1 && a[7] == 1 && a[8] == 0;
            return plain ? new PoolGradient(a) : null;
        }

        private PoolGradient(long[] iArgs) {
            this.gradient = new Sub(DynamicCustomOp.builder("avgpool2d_bp").addInputs(unit(), unit()).addOutputs(unit())
                    .addIntegerArguments(Arrays.stream(iArgs).mapToInt(Math::toIntExact).toArray()).build());
        }

        @Override
        public boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory) {
            gradient.run(out[0], in[0], in[1]);
            return true;
        }

        @Override
        public boolean shapeOnly(int j) {
            return j == 0;
        }

        @Override
        public int outputLike(int i) {
            return 0;
        }
    }

    /**
     * A mean over one run of axes, dimensions kept (instance norm's over H and W of channels-last maps):
     * the {@link Reducer}'s matrix product, then times 1 / R. libnd4j's reduce_mean took 48 ms on
     * [1, 512, 512, 64] over axes (1, 2), where it takes 11 ms over NCHW's (2, 3). Means the product
     * does not cover run libnd4j's.
     */
    private static final class MeanOfRun implements Kernel {
        private final Reducer reducer = new Reducer();
        private final Map<Long, Sub> scales = new HashMap<>();

        @Override
        public boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory) {
            long[] krc = reducer.productRun(in[0], out[0]);
            if (krc == null) {
                return false;
            }
            reducer.sumByProduct(in[0], out[0], krc, memory);
            scales.computeIfAbsent(krc[1], r -> new Sub(new ScalarMultiplication(unit(), null, unit(), 1.0 / r)))
                    .run(out[0], out[0]);
            return true;
        }
    }

    /** Whether no entry of {@code flags} from index {@code from} on is set. */
    private static boolean noneFrom(boolean[] flags, int from) {
        for (int i = from; i < flags.length; i++) {
            if (flags[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A conv's gradient when only the input's is read (the weights' and bias's are not: D inside G's
     * step, whose parameters that step does not train): the transposed conv of the upstream gradient,
     * libnd4j's deconv2d, which oneDNN computes as the same backward-data primitive (the same values
     * to the bit) in 40-75% of conv2d_bp's time, which also computes the weights' gradient.
     */
    private static final class ConvInputGradient implements Kernel {
        private final long[] iArgs;
        private final Sub transposed;

        /** iArgs: kH, kW, sH, sW, pH, pW, dH, dW, same mode, data format, weights format. */
        static ConvInputGradient of(long[] a) {
            boolean plain = a.length >= 11 && a[6] == 1 && a[7] == 1 && a[8] == 0 && a[10] == 0;    // HWIO, explicit padding
            return plain ? new ConvInputGradient(a) : null;
        }

        private ConvInputGradient(long[] iArgs) {
            this.iArgs = iArgs;
            this.transposed = new Sub(DynamicCustomOp.builder("deconv2d").addInputs(unit(), unit()).addOutputs(unit())
                    .addIntegerArguments(Arrays.stream(iArgs).mapToInt(Math::toIntExact).toArray()).build());
        }

        @Override
        public boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory) {
            INDArray w = in[1];
            INDArray g = in[in.length - 1];
            int h = iArgs[9] == 1 ? 1 : 2;                 // NHWC: [N, H, W, C], else [N, C, H, W]
            // the transposed conv's output is the input's size only where no input row was left out
            for (int axis = 0; axis < 2; axis++) {
                long size = (g.size(h + axis) - 1) * iArgs[2 + axis] + iArgs[axis] - 2 * iArgs[4 + axis];
                if (size != out[0].size(h + axis)) {
                    return false;
                }
            }
            transposed.run(out[0], g, w);
            return true;
        }
    }

    /**
     * One gradient of a matrix product C = A B (matmul_bp, no transposes) where the other is not read:
     * dA = dC B^T, or dB = A^T dC (a 1x1 conv's weight gradient inside G's step, whose D weights that
     * step does not train, or D's input gradient of the images in D's step). One product instead of two.
     */
    private static final class ProductGradient implements Kernel {
        private final boolean ofFirst;
        private final Sub product;

        ProductGradient(boolean ofFirst) {
            this.ofFirst = ofFirst;
            this.product = new Sub(DynamicCustomOp.builder("matmul").addInputs(unit(), unit()).addOutputs(unit())
                    .addIntegerArguments(ofFirst ? new int[] {0, 1, 0} : new int[] {1, 0, 0}).build());
        }

        @Override
        public boolean run(INDArray[] in, INDArray[] out, SessionMemMgr memory) {
            if (in[0].rank() != 2 || in[1].rank() != 2 || in[2].rank() != 2) {
                return false;
            }
            if (ofFirst) {
                product.run(out[0], in[2], in[1]);     // dC [M, N] x B^T [N, K]
            } else {
                product.run(out[1], in[0], in[2]);     // A^T [K, M] x dC [M, N]
            }
            return true;
        }
    }

    private static boolean floats(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sums an array down to a broadcast-compatible shape with libnd4j's reduce_sum, written straight
     * into the output: a view (reshape) of a pooled array would raise its buffer's use count until the
     * garbage collector took the view, and the pool does not take back a buffer in use.
     */
    private static final class Reducer {
        /** Sums of at least this many elements over a run of axes are matrix products (see below). */
        private static final long PRODUCT_FROM = 16384;
        /** At most this many blocks in a product's selector (its size grows with their square). */
        private static final long MAX_BLOCKS = 64;
        /** At most this many elements in a selector (K x K R; 16 MB). */
        private static final long MAX_SELECTOR = 1L << 22;
        /** Selectors [K, K R] by "K x R", shared by every reducer (never written). */
        private static final Map<String, INDArray> SELECTORS = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Sub> sums = new HashMap<>();
        private final Sub copy = new Sub(new ScalarMultiplication(unit(), null, unit(), 1.0));
        private final Sub product = new Sub(DynamicCustomOp.builder("matmul").addInputs(unit(), unit())
                .addOutputs(unit()).build());

        /**
         * {K, R, C} where {@link #sumTo} takes src down to into as a matrix product ({@link #sumByProduct}), null where
         * it runs libnd4j's reduce_sum.
         */
        long[] productRun(INDArray src, INDArray into) {
            if (src.length() < PRODUCT_FROM || !SessionMemory.isDense(src) || !SessionMemory.isDense(into) || !floats(src, into)) {
                return null;
            }
            long[] krc = sumOfRun(src.shape(), into.shape());
            return krc != null && krc[0] <= MAX_BLOCKS && krc[0] * krc[0] * krc[1] <= MAX_SELECTOR ? krc : null;
        }

        /**
         * into = src summed as a matrix product, {@code krc} from {@link #productRun}: src as [K R, C] and the
         * sum [K, C] = S [K, K R] x src with S ones on K blocks of R: a bias's gradient (K = 1) or a
         * per-sample channel scale's (K = N, R = H W). libnd4j's reduce_sum took 4-9x as long on
         * [8, 64, 64, 32] -> [32]; the same values up to rounding.
         */
        void sumByProduct(INDArray src, INDArray into, long[] krc, SessionMemMgr memory) {
            long k = krc[0], r = krc[1], c = krc[2];
            INDArray selector = SELECTORS.computeIfAbsent(k + "x" + r, key -> {
                INDArray m = Nd4j.create(DataType.FLOAT, k, k * r);
                for (long i = 0; i < k; i++) {
                    m.get(NDArrayIndex.point(i), NDArrayIndex.interval(i * r, (i + 1) * r)).assign(1);
                }
                return m;
            });
            product.run(SessionMemory.reshaped(memory, into, k, c), selector, SessionMemory.reshaped(memory, src, k * r, c));
        }

        /** into = src summed over the axes where into (aligned right) has extent 1 (a copy for equal shapes). */
        void sumTo(INDArray src, INDArray into, SessionMemMgr memory) {
            long[] s = src.shape();
            long[] t = into.shape();
            if (Arrays.equals(s, t)) {
                copy.run(into, src);                        // x * 1: every value as it is
                return;
            }
            int lead = s.length - t.length;
            if (lead < 0 || src.length() == into.length()) {   // only ones added or dropped: the values as they are
                into.assign(src.reshape(t));
                return;
            }
            long[] krc = productRun(src, into);
            if (krc != null) {
                sumByProduct(src, into, krc, memory);
                return;
            }
            List<Integer> dims = new ArrayList<>();
            List<Long> kept = new ArrayList<>();
            long[] ones = s.clone();
            for (int i = 0; i < s.length; i++) {
                long ti = i < lead ? 1 : t[i - lead];
                if (ti == 1 && s[i] != 1) {
                    dims.add(i);
                    ones[i] = 1;
                } else {
                    kept.add(s[i]);
                }
            }
            boolean keepDims = t.length == s.length;
            long[] result = keepDims ? ones : kept.stream().mapToLong(Long::longValue).toArray();
            int[] axes = dims.stream().mapToInt(Integer::intValue).toArray();
            Sub sum = sums.computeIfAbsent(Arrays.toString(axes) + keepDims, key -> new Sub(DynamicCustomOp
                    .builder("reduce_sum").addInputs(unit()).addOutputs(unit()).addIntegerArguments(axes)
                    .addBooleanArguments(keepDims).build()));
            if (Arrays.equals(result, t)) {
                sum.run(into, src);
            } else {                                        // (such as [1] or [6, 1] of [4, 6, 8]: small)
                INDArray r = result.length == 0 ? Nd4j.scalar(into.dataType(), 0) : Nd4j.create(into.dataType(), result);
                sum.run(r, src);
                into.assign(r.reshape(t));
            }
        }
    }

    /**
     * Where summing {@code s} down to {@code t} (aligned right) sums one run of axes and keeps all the
     * others, axes of extent 1 aside: {K, R, C}, the lengths of the kept axes before the run, of the
     * run and of the kept axes after it (src is then [K, R, C], the sum [K, C]); null otherwise.
     */
    static long[] sumOfRun(long[] s, long[] t) {
        int lead = s.length - t.length;
        long[] krc = {1, 1, 1};
        int part = 0;                              // 0: kept before the run, 1: in it, 2: kept after it
        for (int i = 0; i < s.length; i++) {
            long ti = i < lead ? 1 : t[i - lead];
            if (s[i] == 1 && ti == 1) {
                continue;
            }
            if (ti == s[i]) {
                part = part == 0 ? 0 : 2;
            } else if (ti == 1 && part < 2) {
                part = 1;
            } else {
                return null;
            }
            krc[part] *= s[i];
        }
        return krc[1] > 1 ? krc : null;
    }


    /** A placeholder array for building an op whose arrays come from its context. */
    private static INDArray unit() {
        return Nd4j.scalar(0f);
    }

    /** One libnd4j op of a kernel with its own op context (as the plan runs ops: no allocation per call). */
    private static final class Sub {
        private final Object op;          // a legacy Op or a CustomOp
        private final OpContext context = Nd4j.getExecutioner().buildContext();
        private final INDArray[] extra;   // inputs after the run's own (constants such as pad widths)

        Sub(Object op, INDArray... extra) {
            this.op = op;
            this.extra = extra;
            if (op instanceof DynamicCustomOp c) {
                context.setIArguments(c.iArgs());
                context.setTArguments(c.tArgs());
                context.setBArguments(c.bArgs());
            }
        }

        void run(INDArray out, INDArray... in) {
            if (extra.length == 0) {
                context.setInputArrays(in);
            } else {
                INDArray[] all = Arrays.copyOf(in, in.length + extra.length);
                System.arraycopy(extra, 0, all, in.length, extra.length);
                context.setInputArrays(all);
            }
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
