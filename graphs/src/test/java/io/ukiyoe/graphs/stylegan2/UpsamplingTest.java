package io.ukiyoe.graphs.stylegan2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.stylegan2.fast.Polyphase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The polyphase upsampling forms against the transposed conv + FIR they replace, and a plain upfirdn2d. */
class UpsamplingTest {
    private static final int N = 2;
    private static final int H = 5;
    private static final int CIN = 3;
    private static final int COUT = 4;

    /** torch conv_transpose2d (stride 2) then the FIR pad (1,1) gain 4: the reference form. */
    private static SDVariable transposedThenBlur(SameDiff sd, SDVariable x, SDVariable wOI33) {
        SDVariable y = Ops.convTransposeStride2Nhwc(sd, x, wOI33.permute(2, 3, 0, 1), 3);
        return Ops.blurNhwc(sd, y, COUT, 1, 1, 4);
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @Test
    void upConvEqualsTransposedConvThenBlurInValueAndGradient() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, N, H, H, CIN);
        INDArray w = Nd4j.randn(DataType.FLOAT, COUT, CIN, 3, 3);
        INDArray upstream = Nd4j.randn(DataType.FLOAT, N, 2 * H, 2 * H, COUT);
        INDArray[] ref = run(x, w, upstream, Form.TRANSPOSED_THEN_BLUR);
        for (Form form : new Form[] {Form.POLYPHASE, Form.POLYPHASE_POOLED, Form.FOLDED}) {
            INDArray[] poly = run(x, w, upstream, form);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(ref[i].shape(), poly[i].shape());
                double diff = maxAbs(ref[i].sub(poly[i]));
                assertTrue(diff <= 1e-5 * Math.max(1, maxAbs(ref[i])), form + ": output/grad " + i + " differs by " + diff);
            }
        }
        // the constant-kernel form used by inference graphs
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, H, H, CIN);
        Polyphase.upConvNhwc(sd, in, Polyphase.upConvKernels(sd, "w", w), H, COUT, false).rename("y");
        double diff = maxAbs(sd.output(Map.of("x", x), "y").get("y").sub(ref[0]));
        assertTrue(diff <= 1e-5 * Math.max(1, maxAbs(ref[0])), "constant kernel differs by " + diff);
    }

    private enum Form { TRANSPOSED_THEN_BLUR, POLYPHASE, POLYPHASE_POOLED, FOLDED }

    /** [output, d loss / d x, d loss / d w] with loss = sum(output * upstream). */
    private static INDArray[] run(INDArray x, INDArray w, INDArray upstream, Form form) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.var("x", x.dup());
        SDVariable weight = sd.var("w", w.dup());
        SDVariable y = switch (form) {
            case TRANSPOSED_THEN_BLUR -> transposedThenBlur(sd, in, weight);
            case POLYPHASE, POLYPHASE_POOLED -> Polyphase.upConvNhwc(sd, in, Polyphase.rowKernels(
                    Polyphase.upConvKernel(sd, weight, COUT, CIN, false), COUT), H, COUT, form == Form.POLYPHASE_POOLED);
            case FOLDED -> Polyphase.upConvFoldedNhwc(sd, in, Polyphase.upConvKernel(sd, weight, COUT, CIN, true), H, COUT);
        };
        y.rename("y");
        y.mul(sd.constant(upstream)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray out = sd.output(Map.of(), "y").get("y");
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x", "w");
        return new INDArray[] {out, g.get("x"), g.get("w")};
    }

    @Test
    void skipUpsampleEqualsUpfirdn2d() {
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.randn(DataType.FLOAT, N, H, H, 3);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, H, H, 3);
        Polyphase.upsample2dNhwc(sd, in, 3, H).rename("y");
        INDArray got = sd.output(Map.of("x", x), "y").get("y");
        INDArray want = upfirdn2dUp2(x);
        assertArrayEquals(want.shape(), got.shape());
        double diff = maxAbs(got.sub(want));
        assertTrue(diff <= 1e-5 * maxAbs(want), "differs by " + diff);
    }

    /** upfirdn2d(x, [1,3,3,1], up=2, pad=(2,1), gain 4) as the references define it, in plain loops. */
    private static INDArray upfirdn2dUp2(INDArray x) {
        double[] f = {1 / 8.0, 3 / 8.0, 3 / 8.0, 1 / 8.0};
        long n = x.size(0);
        long c = x.size(3);
        int up = 2 * H;
        double[][] padded = new double[up + 3][up + 3];
        INDArray out = Nd4j.zeros(DataType.FLOAT, n, up, up, c);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (double[] row : padded) {
                    java.util.Arrays.fill(row, 0);
                }
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < H; j++) {
                        padded[2 + 2 * i][2 + 2 * j] = x.getDouble(b, i, j, ch);   // zero-insert, pad 2 before
                    }
                }
                for (int i = 0; i < up; i++) {
                    for (int j = 0; j < up; j++) {
                        double s = 0;
                        for (int a = 0; a < 4; a++) {
                            for (int e = 0; e < 4; e++) {
                                s += padded[i + a][j + e] * f[3 - a] * f[3 - e] * 4;   // convolution: flipped taps
                            }
                        }
                        out.putScalar(new long[] {b, i, j, ch}, s);
                    }
                }
            }
        }
        return out;
    }
}
