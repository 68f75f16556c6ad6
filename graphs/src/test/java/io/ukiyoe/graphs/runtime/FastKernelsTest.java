package io.ukiyoe.graphs.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.PowDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.AddBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.MulBpOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.bp.SubBpOp;
import org.nd4j.linalg.factory.Nd4j;

/** Each substituted kernel gives libnd4j's values (to the bit or to rounding), and torch's leaky ReLU semantics. */
class FastKernelsTest {
    private static final double SLOPE = 0.2;
    private static final NoOpMemoryMgr MEMORY = new NoOpMemoryMgr();

    @BeforeAll
    static void pool() {
        SessionMemory.install();
    }

    @AfterEach
    void restore() {
        FastKernels.enabled = true;
    }

    /** Gaussians with the awkward values planted: signed zeros, denormal-sized and huge magnitudes. */
    private static INDArray values(int n, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        float[] odd = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE, 3e38f, -3e38f};
        System.arraycopy(odd, 0, v, 0, odd.length);
        return Nd4j.createFromArray(v).reshape(4, n / 4);
    }

    private static void assertBits(INDArray expected, INDArray actual, String what) {
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.getFloat(i)), Float.floatToRawIntBits(actual.getFloat(i)),
                    what + " at " + i + ": " + expected.getFloat(i) + " vs " + actual.getFloat(i));
        }
    }

    @Test
    void leakyReluAndItsGradientAreLibnd4jsToTheBit() {
        INDArray x = values(4000, 3);
        INDArray g = values(4000, 5).addi(5);           // no zero upstream where x has its odd values
        INDArray own = x.ulike();
        Nd4j.exec(new LeakyReLU(x, own, SLOPE));
        FastKernels.Kernel fast = FastKernels.of(new LeakyReLU(x, x.ulike(), SLOPE), DataType.FLOAT, null);
        assertNotNull(fast);
        INDArray out = x.ulike();
        assertTrue(fast.run(new INDArray[] {x}, new INDArray[] {out}, MEMORY));
        assertBits(own, out, "leaky ReLU");

        INDArray ownGrad = Nd4j.exec(new LeakyReLUBp(x, g, x.ulike(), SLOPE))[0];
        FastKernels.Kernel fastGrad = FastKernels.of(new LeakyReLUBp(x, g, x.ulike(), SLOPE), DataType.FLOAT, null);
        assertNotNull(fastGrad);
        INDArray grad = x.ulike();
        assertTrue(fastGrad.run(new INDArray[] {x, g}, new INDArray[] {grad}, MEMORY));
        float a = (float) SLOPE;
        for (long i = 0; i < x.length(); i++) {
            if (x.getFloat(i) == 0) {                  // libnd4j's slope at 0 is 1; torch's (the kernel's) is a
                assertEquals(g.getFloat(i), ownGrad.getFloat(i), 0.0, "libnd4j at " + i);
                ownGrad.putScalar(i, g.getFloat(i) * a);
            }
        }
        assertBits(ownGrad, grad, "leaky ReLU gradient");
        for (long i = 0; i < x.length(); i++) {        // torch: x > 0 ? g : g * negval, at 0 too
            float xi = x.getFloat(i), gi = g.getFloat(i);
            assertEquals(xi > 0 ? xi : xi * a, out.getFloat(i), 0.0, "torch value at " + i);
            assertEquals(xi > 0 ? gi : gi * a, grad.getFloat(i), 0.0, "torch gradient at " + i);
        }
    }

    @Test
    void squaresDerivativeIsLibnd4jsToTheBit() {
        INDArray x = values(4000, 13);
        INDArray own = x.ulike();
        Nd4j.exec(new PowDerivative(x, own, 2));
        FastKernels.Kernel fast = FastKernels.of(new PowDerivative(x, x.ulike(), 2), DataType.FLOAT, null);
        assertNotNull(fast);
        INDArray out = x.ulike();
        assertTrue(fast.run(new INDArray[] {x}, new INDArray[] {out}, MEMORY));
        assertBits(own, out, "2 x");
        assertEquals(null, FastKernels.of(new PowDerivative(x, x.ulike(), 3), DataType.FLOAT, null), "x^3 keeps libnd4j's");
    }

    @Test
    void aPlannedGradientThroughLeakyReluUsesTheKernelsAndGivesTheSameBits() {
        SameDiff sd = Graphs.create();
        SDVariable x = sd.var("x", values(4000, 7));
        SDVariable r = sd.constant(values(4000, 11));
        SDVariable y = sd.nn().leakyRelu(x, SLOPE);
        sd.identity("loss", y.mul(r).add(y.mul(y)).sum()).markAsLoss();
        long before = FastKernels.RUNS.get();
        Map<String, INDArray> fast = Backprop.run(sd, Map.of(), java.util.List.of("loss"), java.util.List.of("x"))
                .getGradients();
        INDArray fastGrad = fast.get("x").dup();
        assertEquals(before + 3, FastKernels.RUNS.get());        // leakyrelu, lrelu_bp, and the sum's add_bp
        FastKernels.enabled = false;
        SameDiff again = Graphs.create();             // plans keep their kernels: a new graph gets libnd4j's
        SDVariable x2 = again.var("x", values(4000, 7));
        SDVariable y2 = again.nn().leakyRelu(x2, SLOPE);
        again.identity("loss", y2.mul(again.constant(values(4000, 11))).add(y2.mul(y2)).sum()).markAsLoss();
        INDArray ownGrad = Backprop.run(again, Map.of(), java.util.List.of("loss"), java.util.List.of("x"))
                .getGradients().get("x");
        assertBits(ownGrad, fastGrad, "gradient");
        assertTrue(fastGrad.sumNumber().doubleValue() != 0);
    }

    private static INDArray gaussian(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    /** The gradients of x * y for broadcast operands: libnd4j's multiply_bp against the kernel. */
    private static void assertBroadcastGradients(long[] xs, long[] ys) {
        INDArray x = gaussian(3, xs);
        INDArray y = gaussian(5, ys);
        INDArray g = gaussian(7, x.mul(y).shape());
        INDArray[] own = {x.ulike(), y.ulike()};
        INDArray[] fast = {x.ulike(), y.ulike()};
        Nd4j.exec((CustomOp) DynamicCustomOp.builder("multiply_bp").addInputs(x, y, g).addOutputs(own).build());
        FastKernels.Kernel kernel = FastKernels.of(new MulBpOp(), DataType.FLOAT, null);
        assertNotNull(kernel);
        assertTrue(kernel.run(new INDArray[] {x, y, g}, fast, MEMORY));
        for (int i = 0; i < 2; i++) {
            double scale = Math.max(1, own[i].amaxNumber().doubleValue());
            for (long j = 0; j < own[i].length(); j++) {
                assertEquals(own[i].getDouble(j), fast[i].getDouble(j), 1e-5 * scale,
                        "gradient " + i + " of " + Arrays.toString(xs) + " x "
                                + Arrays.toString(ys) + " at " + j);
            }
        }
    }

    @Test
    void broadcastGradientsOfProductsAreLibnd4jsToRounding() {
        long[][][] pairs = {
            {{4, 6, 6, 8}, {8}},              // a bias over NHWC pixels: a product with ones
            {{4, 6, 6, 8}, {4, 1, 1, 8}},     // a per-sample channel scale
            {{4, 6, 6, 8}, {4, 6, 6, 1}},     // a noise map over channels
            {{8, 32, 32, 8}, {8, 1, 1, 8}},   // large: the sum as a matrix product
            {{8, 32, 32, 8}, {8}},
            {{8, 10, 12}, {1, 10, 1}},        // style mixing
            {{1, 6, 6, 8}, {4, 6, 6, 8}},     // the broadcast operand on the left
            {{3, 5}, {1, 1}}};
        for (long[][] p : pairs) {
            assertBroadcastGradients(p[0], p[1]);
        }
        INDArray x = gaussian(1, 2, 3);
        FastKernels.Kernel same = FastKernels.of(new MulBpOp(), DataType.FLOAT, null);
        assertEquals(false, same.run(new INDArray[] {x, x, x}, new INDArray[] {x.ulike(), x.ulike()}, MEMORY));
    }

    /** An array of {@code a}'s shape with no data of its own (as the plan hands a released shape-only input). */
    private static INDArray standIn(INDArray a) {
        return Nd4j.create(Nd4j.scalar(0f).data(), a.shape(), new long[a.rank()], 0, 'c', DataType.FLOAT);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        for (long j = 0; j < expected.length(); j++) {
            assertEquals(expected.getDouble(j), actual.getDouble(j), 1e-5 * scale, what + " at " + j);
        }
    }

    @Test
    void sumGradientsReadTheirOperandsOnlyForShapes() {
        long[][][] pairs = {{{4, 6, 6, 8}, {8}}, {{4, 6, 6, 8}, {4, 6, 6, 1}}, {{8, 10, 12}, {1, 10, 1}},
            {{1, 6, 6, 8}, {4, 6, 6, 8}}, {{3, 5}, {3, 5}}, {{8, 96}, {1}}, {{8, 96}, {}}, {{4, 6, 8}, {6, 1}}, {{1, 1, 5}, {1, 5}}, {{2, 1}, {1, 1, 1}},
            {{8, 16, 16, 96}, {96}}, {{2, 64, 64, 8}, {1, 1, 64, 8}}, {{2, 64, 64, 8}, {2, 64, 64, 1}},
            {{4, 32, 32, 8}, {4, 1, 1, 8}}};   // (large: matrix products)
        for (String name : new String[] {"add_bp", "subtract_bp"}) {
            FastKernels.Kernel kernel = FastKernels.of(name.equals("add_bp") ? new AddBpOp() : new SubBpOp(),
                    DataType.FLOAT, null);
            assertTrue(kernel.shapeOnly(0) && kernel.shapeOnly(1) && !kernel.shapeOnly(2));
            for (long[][] p : pairs) {
                INDArray x = gaussian(3, p[0]);
                INDArray y = gaussian(5, p[1]);
                INDArray g = gaussian(7, x.add(y).shape());
                INDArray[] own = {x.ulike(), y.ulike()};
                Nd4j.exec((CustomOp) DynamicCustomOp.builder(name).addInputs(x, y, g).addOutputs(own).build());
                INDArray[] fast = {x.ulike(), y.ulike()};
                assertTrue(kernel.run(new INDArray[] {standIn(x), standIn(y), g}, fast, MEMORY));
                assertClose(own[0], fast[0], name + " dx " + Arrays.toString(p[0]) + " " + Arrays.toString(p[1]));
                assertClose(own[1], fast[1], name + " dy " + Arrays.toString(p[0]) + " " + Arrays.toString(p[1]));
            }
        }
    }

    /** conv2d_bp's input gradient against the kernel run when only that gradient is read. */
    @Test
    void aConvsInputGradientAloneIsLibnd4jsToTheBit() {
        // {N, H, Cin, Cout, stride, pad, bias, NHWC}
        int[][] cases = {{2, 9, 4, 6, 1, 1, 1, 1}, {2, 9, 4, 6, 2, 0, 1, 1}, {2, 8, 4, 6, 1, 1, 0, 1},
            {2, 9, 4, 6, 2, 0, 0, 0}};
        for (int[] c : cases) {
            boolean nhwc = c[7] == 1;
            int ho = (c[1] + 2 * c[5] - 3) / c[4] + 1;
            INDArray x = nhwc ? gaussian(3, c[0], c[1], c[1], c[2]) : gaussian(3, c[0], c[2], c[1], c[1]);
            INDArray w = gaussian(5, 3, 3, c[2], c[3]);
            INDArray b = gaussian(7, c[3]);
            INDArray g = nhwc ? gaussian(9, c[0], ho, ho, c[3]) : gaussian(9, c[0], c[3], ho, ho);
            INDArray[] in = c[6] == 1 ? new INDArray[] {x, w, b, g} : new INDArray[] {x, w, g};
            INDArray[] own = c[6] == 1 ? new INDArray[] {x.ulike(), w.ulike(), b.ulike()} : new INDArray[] {x.ulike(), w.ulike()};
            int[] iArgs = {3, 3, c[4], c[4], c[5], c[5], 1, 1, 0, c[7], 0};
            DynamicCustomOp bp = DynamicCustomOp.builder("conv2d_bp").addInputs(in).addOutputs(own).addIntegerArguments(iArgs).build();
            Nd4j.exec((CustomOp) bp);
            Conv2DDerivative op = new Conv2DDerivative();
            op.addIArgument(iArgs);
            boolean[] onlyInput = new boolean[own.length];
            onlyInput[0] = true;
            assertEquals(null, FastKernels.of(op, DataType.FLOAT, null), "every gradient read: libnd4j's");
            FastKernels.Kernel kernel = FastKernels.of(op, DataType.FLOAT, onlyInput);
            assertNotNull(kernel, Arrays.toString(c));
            INDArray[] fast = {x.ulike(), w.ulike(), b.ulike()};
            assertTrue(kernel.run(in, Arrays.copyOf(fast, own.length), MEMORY));
            assertBits(own[0], fast[0], "input gradient " + Arrays.toString(c));
        }
        // stride 2 over an even size leaves the last row out: the transposed conv is a row short
        INDArray x = gaussian(3, 2, 8, 8, 4);
        INDArray g = gaussian(9, 2, 3, 3, 6);
        Conv2DDerivative op = new Conv2DDerivative();
        op.addIArgument(3, 3, 2, 2, 0, 0, 1, 1, 0, 1, 0);
        FastKernels.Kernel kernel = FastKernels.of(op, DataType.FLOAT, new boolean[] {true, false});
        assertEquals(false, kernel.run(new INDArray[] {x, gaussian(5, 3, 3, 4, 6), g}, new INDArray[] {x.ulike(), x.ulike()}, MEMORY));
    }

    @Test
    void aPlannedInputGradientThroughAConvSkipsTheWeightsGradient() {
        java.util.function.Supplier<SameDiff> build = () -> {
            SameDiff sd = Graphs.create();
            SDVariable x = sd.var("x", gaussian(11, 2, 9, 9, 4));
            SDVariable w = sd.var("w", gaussian(13, 3, 3, 4, 6));
            SDVariable b = sd.var("b", gaussian(15, 6));
            org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig cfg =
                    org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig.builder().kH(3).kW(3)
                            .sH(2).sW(2).pH(0).pW(0).paddingMode(PaddingMode.VALID).dataFormat("NHWC").build();
            SDVariable y = sd.cnn().conv2d(x, w, b, cfg);
            sd.identity("loss", y.mul(y).sum()).markAsLoss();
            return sd;
        };
        long before = FastKernels.RUNS.get();
        INDArray fast = Backprop.run(build.get(), Map.of(), java.util.List.of("loss"), java.util.List.of("x"))
                .getGradients().get("x").dup();
        assertTrue(FastKernels.RUNS.get() > before);
        FastKernels.enabled = false;
        INDArray own = Backprop.run(build.get(), Map.of(), java.util.List.of("loss"), java.util.List.of("x"))
                .getGradients().get("x");
        assertBits(own, fast, "x gradient");
    }

    @Test
    void oneGradientOfAProductAloneIsLibnd4jsToRounding() {
        INDArray a = gaussian(3, 40, 7);
        INDArray b = gaussian(5, 7, 5);
        INDArray g = gaussian(7, 40, 5);
        INDArray[] own = {a.ulike(), b.ulike()};
        Nd4j.exec((CustomOp) DynamicCustomOp.builder("matmul_bp").addInputs(a, b, g).addOutputs(own).build());
        for (int live = 0; live < 2; live++) {
            FastKernels.Kernel kernel = FastKernels.of(new org.nd4j.linalg.api.ops.impl.reduce.MmulBp(),
                    DataType.FLOAT, new boolean[] {live == 0, live == 1});
            assertNotNull(kernel);
            INDArray[] fast = {a.ulike().assign(Float.NaN), b.ulike().assign(Float.NaN)};
            assertTrue(kernel.run(new INDArray[] {a, b, g}, fast, MEMORY));
            assertClose(own[live], fast[live], "gradient " + live);
        }
        assertEquals(null, FastKernels.of(new org.nd4j.linalg.api.ops.impl.reduce.MmulBp(), DataType.FLOAT,
                new boolean[] {true, true}), "both read: libnd4j's");
    }

    @Test
    void sumsOverOneRunOfAxesAreRecognised() {
        assertArrayEquals(new long[] {1, 8 * 64 * 64, 32}, FastKernels.sumOfRun(new long[] {8, 64, 64, 32}, new long[] {32}));
        assertArrayEquals(new long[] {1, 8 * 64 * 64, 32}, FastKernels.sumOfRun(new long[] {8, 64, 64, 32}, new long[] {1, 1, 1, 32}));
        assertArrayEquals(new long[] {8, 64 * 64, 32}, FastKernels.sumOfRun(new long[] {8, 64, 64, 32}, new long[] {8, 1, 1, 32}));
        assertArrayEquals(new long[] {8 * 64 * 64, 32, 1}, FastKernels.sumOfRun(new long[] {8, 64, 64, 32}, new long[] {8, 64, 64, 1}));
        assertArrayEquals(new long[] {1, 8, 64 * 32}, FastKernels.sumOfRun(new long[] {8, 1, 64, 32}, new long[] {1, 1, 64, 32}));
        assertEquals(null, FastKernels.sumOfRun(new long[] {8, 10, 128}, new long[] {1, 10, 1}), "two runs");
        assertEquals(null, FastKernels.sumOfRun(new long[] {8, 64, 64, 32}, new long[] {64, 1}), "two runs");
    }

    /** Means over one run of axes, dimensions kept, against libnd4j's reduce_mean; other means keep libnd4j's. */
    @Test
    void meansOverOneRunOfAxesAreProductsThatAgreeWithLibnd4j() {
        org.nd4j.linalg.api.ops.impl.reduce.floating.Mean kept =
                new org.nd4j.linalg.api.ops.impl.reduce.floating.Mean(gaussian(1, 2, 3), true, 1);
        assertNotNull(FastKernels.of(kept, DataType.FLOAT, null), "dimensions kept");
        assertEquals(null, FastKernels.of(new org.nd4j.linalg.api.ops.impl.reduce.floating.Mean(gaussian(1, 2, 3), false, 1),
                DataType.FLOAT, null), "dimensions dropped: the shapes do not say which axes");
        FastKernels.Kernel kernel = FastKernels.of(kept, DataType.FLOAT, null);
        // instance norm's statistics of channels-last maps: over H and W, per sample and channel
        for (long[] shape : new long[][] {{1, 40, 48, 64}, {3, 24, 20, 96}}) {
            INDArray x = gaussian(7, shape).addi(3);                       // a mean well away from 0
            INDArray own = x.mean(true, 1, 2);
            INDArray fast = Nd4j.create(DataType.FLOAT, own.shape());            // as the plan allocates outputs
            assertTrue(kernel.run(new INDArray[] {x}, new INDArray[] {fast}, MEMORY), "product for " + Arrays.toString(shape));
            assertClose(own, fast, "mean over H, W of " + Arrays.toString(shape));
        }
        INDArray small = gaussian(7, 2, 8, 8, 4);                            // under the product's size: libnd4j's
        assertTrue(!kernel.run(new INDArray[] {small}, new INDArray[] {small.mean(true, 1, 2)}, MEMORY));
        INDArray nchw = gaussian(7, 1, 64, 512, 512);                        // K = 64 blocks of 262,144: selector too large
        assertTrue(!kernel.run(new INDArray[] {nchw}, new INDArray[] {nchw.mean(true, 2, 3)}, MEMORY));
    }

    @Test
    void averagePoolGradientReadsTheInputOnlyForItsShape() {
        for (boolean nhwc : new boolean[] {true, false}) {
            long[] shape = nhwc ? new long[] {2, 7, 6, 3} : new long[] {2, 3, 7, 6};
            INDArray x = gaussian(3, shape);
            Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(1).sW(1).pH(0).pW(0)
                    .paddingMode(PaddingMode.VALID).isNHWC(nhwc).type(Pooling2D.Pooling2DType.AVG).build();
            INDArray pooled = Nd4j.exec((CustomOp) new AvgPooling2D(x, null, cfg))[0];
            INDArray g = gaussian(5, pooled.shape());
            Pooling2DDerivative bp = new Pooling2DDerivative(x, g, x.ulike(), cfg);
            INDArray own = x.ulike();
            Nd4j.exec((CustomOp) DynamicCustomOp.builder("avgpool2d_bp").addInputs(x, g).addOutputs(own)
                    .addIntegerArguments(Arrays.stream(bp.iArgs()).mapToInt(Math::toIntExact).toArray()).build());
            FastKernels.Kernel kernel = FastKernels.of(bp, DataType.FLOAT, null);
            assertNotNull(kernel, "a 2x2 stride-1 pool's gradient");
            assertTrue(kernel.shapeOnly(0) && !kernel.shapeOnly(1));
            INDArray fast = x.ulike();
            assertTrue(kernel.run(new INDArray[] {standIn(x), g}, new INDArray[] {fast}, MEMORY));
            assertClose(own, fast, (nhwc ? "NHWC" : "NCHW") + " pool gradient");
        }
        INDArray x = gaussian(3, 2, 8, 8, 3);
        Pooling2DConfig strided = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0)
                .paddingMode(PaddingMode.VALID).isNHWC(true).type(Pooling2D.Pooling2DType.AVG).build();
        assertEquals(null, FastKernels.of(new Pooling2DDerivative(x, gaussian(5, 2, 4, 4, 3), x.ulike(), strided), DataType.FLOAT, null));
    }

    @Test
    void plannedGradientsThroughSumsAndPoolsMatchSameDiffsOwn() {
        java.util.function.Supplier<SameDiff> build = () -> {
            SameDiff sd = Graphs.create();
            SDVariable x = sd.var("x", gaussian(11, 2, 9, 9, 4));
            SDVariable b = sd.var("b", gaussian(13, 4));
            Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(1).sW(1).pH(0).pW(0)
                    .paddingMode(PaddingMode.VALID).isNHWC(true).type(Pooling2D.Pooling2DType.AVG).build();
            SDVariable h = sd.cnn().avgPooling2d(sd.cnn().avgPooling2d(x.add(b), cfg), cfg);
            SDVariable d = h.sub(h.mean(true, 1, 2));
            sd.identity("loss", d.mul(d).sum().add(sd.math().square(x.sub(b)).sum())).markAsLoss();
            return sd;
        };
        long before = FastKernels.RUNS.get();
        Map<String, INDArray> fast = Backprop.run(build.get(), Map.of(), java.util.List.of("loss"),
                java.util.List.of("x", "b")).getGradients();
        INDArray fx = fast.get("x").dup();
        INDArray fb = fast.get("b").dup();
        assertTrue(FastKernels.RUNS.get() >= before + 5, "add_bp, 2 subtract_bp, 2 avgpool2d_bp");
        FastKernels.enabled = false;
        Map<String, INDArray> own = Backprop.run(build.get(), Map.of(), java.util.List.of("loss"),
                java.util.List.of("x", "b")).getGradients();
        assertClose(own.get("x"), fx, "x gradient");
        assertClose(own.get("b"), fb, "b gradient");
    }

    @Test
    void slopesOutsideZeroToOneKeepLibnd4jsKernel() {
        INDArray x = values(8, 1);
        assertEquals(null, FastKernels.of(new LeakyReLU(x, x.ulike(), 1.5), DataType.FLOAT, null));
        FastKernels.enabled = false;
        assertEquals(null, FastKernels.of(new LeakyReLU(x, x.ulike(), SLOPE), DataType.FLOAT, null));
        FastKernels.enabled = true;
        assertEquals(null, FastKernels.of(new AddBpOp(), DataType.DOUBLE, null), "float32 only");
    }
}
