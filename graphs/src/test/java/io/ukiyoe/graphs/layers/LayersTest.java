package io.ukiyoe.graphs.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.graphs.runtime.SessionMemory;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each shared layer against a plain-loop definition of the PyTorch op it stands for. */
class LayersTest {
    private static final Random RNG = new Random(7);

    /**
     * Calls run as every ukiyoe call does, from an execution plan with its kernels: without it SameDiff
     * runs libnd4j's lrelu_bp, whose slope at x = 0 is 1, not torch's (this test passed or failed with the
     * order in which the module's tests ran).
     */
    @BeforeAll
    static void planned() {
        SessionMemory.install();
    }

    private static INDArray random(long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, RNG.nextGaussian());
        }
        return a;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(expected.getDouble(i), actual.getDouble(i), tol, "element " + i);
        }
    }

    /** Python's reflect index for padded position {@code i} of an axis of length {@code n} padded by {@code p} before. */
    private static int reflect(int i, int p, int n) {
        int j = i - p;
        if (j < 0) {
            return -j;
        }
        return j >= n ? 2 * (n - 1) - j : j;
    }

    @Test
    void reflectPadMatchesTorchAndItsGradientIsTheFold() {
        int n = 2, c = 3, h = 5, w = 4, top = 3, bottom = 2, left = 1, right = 3;
        INDArray x = random(n, c, h, w);
        int ph = h + top + bottom, pw = w + left + right;
        INDArray r = random(n, c, ph, pw);
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x);
        SDVariable y = Layers.reflectPad(sd, xv, top, bottom, left, right);
        y.mul(sd.constant(r)).sum().markAsLoss();
        INDArray out = y.eval();
        INDArray expected = Nd4j.create(DataType.FLOAT, n, c, ph, pw);
        INDArray grad = Nd4j.create(DataType.FLOAT, n, c, h, w);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < c; b++) {
                for (int i = 0; i < ph; i++) {
                    for (int j = 0; j < pw; j++) {
                        int si = reflect(i, top, h), sj = reflect(j, left, w);
                        expected.putScalar(new long[] {a, b, i, j}, x.getDouble(a, b, si, sj));
                        grad.putScalar(new long[] {a, b, si, sj}, grad.getDouble(a, b, si, sj) + r.getDouble(a, b, i, j));
                    }
                }
            }
        }
        assertClose(expected, out, 0);
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x");
        assertClose(grad, g.get("x"), 1e-5);
    }

    @Test
    void leakyReluIsTorchsToTheBitAndSoIsItsGradient() {
        INDArray x = random(2, 3, 4, 5);
        x.putScalar(0, 0.0);
        x.putScalar(1, -0.0);
        x.putScalar(2, 1e-30);
        x.putScalar(3, -1e-30);
        INDArray r = random(2, 3, 4, 5);
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x);
        SDVariable y = Layers.leakyRelu(sd, xv, 0.2);
        // a product keeps the upstream gradient per element and a second use of y sums two paths into x
        y.mul(sd.constant(r)).add(y.mul(0.5)).sum().markAsLoss();
        INDArray out = y.eval();
        INDArray grad = sd.calculateGradients(Map.of(), "x").get("x");
        float slope = 0.2f;
        for (long i = 0; i < x.length(); i++) {
            float v = x.getFloat(i);
            float up = (float) (r.getFloat(i) + 0.5);
            // torch: x > 0 ? x : x * negval, and its gradient x > 0 ? g : g * negval (the slope at 0)
            assertEquals(v > 0 ? v : v * slope, out.getFloat(i), 0.0, "value " + i);
            assertEquals(v > 0 ? up : up * slope, grad.getFloat(i), 1e-6 * Math.abs(up), "gradient " + i);
        }
    }

    @Test
    void convTransposeMatchesTorchOutputSizeAndValues() {
        int n = 2, cin = 3, cout = 4, h = 5, w = 3, k = 3, s = 2, p = 1, op = 1;
        INDArray x = random(n, cin, h, w);
        INDArray wt = random(cin, cout, k, k);
        INDArray b = random(cout);
        SameDiff sd = SameDiff.create();
        INDArray out = Layers.convTranspose2d(sd, sd.constant(x), sd.var("w", wt), sd.var("b", b), s, p, op).eval();
        int oh = (h - 1) * s - 2 * p + k + op, ow = (w - 1) * s - 2 * p + k + op;
        INDArray expected = Nd4j.create(DataType.FLOAT, n, cout, oh, ow);
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        expected.putScalar(new long[] {a, o, i, j}, b.getDouble(o));
                    }
                }
                for (int ci = 0; ci < cin; ci++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int yi = i * s - p + u, yj = j * s - p + v;
                                    if (yi >= 0 && yi < oh && yj >= 0 && yj < ow) {
                                        long[] at = {a, o, yi, yj};
                                        expected.putScalar(at, expected.getDouble(at)
                                                + x.getDouble(a, ci, i, j) * wt.getDouble(ci, o, u, v));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertClose(expected, out, 1e-4);
    }

    @Test
    void convMatchesCorrelationWithZeroPadding() {
        int n = 1, cin = 2, cout = 3, h = 6, w = 5, k = 3, s = 2, p = 1;
        INDArray x = random(n, cin, h, w);
        INDArray wt = random(cout, cin, k, k);
        SameDiff sd = SameDiff.create();
        INDArray out = Layers.conv2d(sd, sd.constant(x), sd.var("w", wt), null, s, p).eval();
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        INDArray expected = Nd4j.create(DataType.FLOAT, n, cout, oh, ow);
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double acc = 0;
                    for (int ci = 0; ci < cin; ci++) {
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int yi = i * s - p + u, yj = j * s - p + v;
                                if (yi >= 0 && yi < h && yj >= 0 && yj < w) {
                                    acc += x.getDouble(0, ci, yi, yj) * wt.getDouble(o, ci, u, v);
                                }
                            }
                        }
                    }
                    expected.putScalar(new long[] {0, o, i, j}, acc);
                }
            }
        }
        assertClose(expected, out, 1e-4);
    }

    @Test
    void instanceNormUsesBiasedVariancePerSampleAndChannel() {
        INDArray x = random(2, 3, 4, 5).muli(3).addi(1);
        SameDiff sd = SameDiff.create();
        INDArray out = Layers.instanceNorm(sd, sd.constant(x), 1e-5).eval();
        INDArray expected = x.dup();
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                INDArray plane = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(a),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(b));
                double mean = plane.meanNumber().doubleValue();
                double var = plane.sub(mean).muli(plane.sub(mean)).meanNumber().doubleValue();
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 5; j++) {
                        expected.putScalar(new long[] {a, b, i, j}, (x.getDouble(a, b, i, j) - mean) / Math.sqrt(var + 1e-5));
                    }
                }
            }
        }
        assertClose(expected, out, 1e-4);
    }

    @Test
    void avgPoolWithoutPaddingCountAveragesOnlyInsidePixels() {
        INDArray x = random(1, 2, 5, 6);
        SameDiff sd = SameDiff.create();
        INDArray out = Layers.avgPool2d(sd, sd.constant(x), 3, 2, 1, false).eval();
        assertArrayEquals(new long[] {1, 2, 3, 3}, out.shape());
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double sum = 0;
                    int count = 0;
                    for (int u = i * 2 - 1; u <= i * 2 + 1; u++) {
                        for (int v = j * 2 - 1; v <= j * 2 + 1; v++) {
                            if (u >= 0 && u < 5 && v >= 0 && v < 6) {
                                sum += x.getDouble(0, c, u, v);
                                count++;
                            }
                        }
                    }
                    assertEquals(sum / count, out.getDouble(0, c, i, j), 1e-5);
                }
            }
        }
    }

    @Test
    void maxPoolCeilModeKeepsThePartialLastWindow() {
        INDArray x = random(1, 1, 7, 5);
        SameDiff sd = SameDiff.create();
        INDArray out = Layers.maxPool2d(sd, sd.constant(x), 3, 2, 0, true, 7, 5).eval();
        assertArrayEquals(new long[] {1, 1, 3, 2}, out.shape());   // torch: ceil((7-3)/2)+1 = 3, ceil((5-3)/2)+1 = 2
        INDArray x2 = random(1, 1, 6, 6);
        INDArray out2 = Layers.maxPool2d(sd, sd.constant(x2), 2, 2, 0, true, 6, 6).eval();
        assertArrayEquals(new long[] {1, 1, 3, 3}, out2.shape());
        INDArray out3 = Layers.maxPool2d(sd, sd.constant(x), 2, 2, 0, true, 7, 5).eval();
        assertArrayEquals(new long[] {1, 1, 4, 3}, out3.shape());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int u = 2 * i; u < Math.min(2 * i + 2, 7); u++) {
                    for (int v = 2 * j; v < Math.min(2 * j + 2, 5); v++) {
                        m = Math.max(m, x.getDouble(0, 0, u, v));
                    }
                }
                assertEquals(m, out3.getDouble(0, 0, i, j), 1e-6);
            }
        }
    }

    @Test
    void upsampleNearestRepeatsPixels() {
        INDArray x = random(1, 2, 3, 4);
        SameDiff sd = SameDiff.create();
        INDArray out = Layers.upsampleNearest(sd, sd.constant(x), 2).eval();
        assertArrayEquals(new long[] {1, 2, 6, 8}, out.shape());
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 8; j++) {
                    assertEquals(x.getDouble(0, c, i / 2, j / 2), out.getDouble(0, c, i, j), 0);
                }
            }
        }
    }
}
