package io.ukiyoe.graphs.esrgan;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NetworkFile;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * RRDBNet at widths, depths and channel counts the fixtures do not have, against a float64 plain-loop forward
 * written from the reference's definition (zero-padded 3x3 convs, LeakyReLU 0.2, dense concatenation input first,
 * 0.2 residual scalings, nearest 2x).
 */
class RRDBNetPlainLoopTest {
    /** Activations [C][H][W] in double. */
    private static double[][][] conv(Map<String, Tensor> t, String name, double[][][] x) {
        Tensor w = t.get(name.replace('.', '/') + "/weight");
        Tensor b = t.get(name.replace('.', '/') + "/bias");
        int co = (int) w.shape()[0], ci = (int) w.shape()[1], h = x[0].length, wd = x[0][0].length;
        double[][][] y = new double[co][h][wd];
        for (int o = 0; o < co; o++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < wd; j++) {
                    double s = b.data()[o];
                    for (int c = 0; c < ci; c++) {
                        for (int di = 0; di < 3; di++) {
                            for (int dj = 0; dj < 3; dj++) {
                                int ii = i + di - 1, jj = j + dj - 1;
                                if (ii >= 0 && jj >= 0 && ii < h && jj < wd) {
                                    s += w.data()[((o * ci + c) * 3 + di) * 3 + dj] * x[c][ii][jj];
                                }
                            }
                        }
                    }
                    y[o][i][j] = s;
                }
            }
        }
        return y;
    }

    private static double[][][] lrelu(double[][][] x) {
        double[][][] y = new double[x.length][x[0].length][x[0][0].length];
        for (int c = 0; c < x.length; c++) {
            for (int i = 0; i < x[0].length; i++) {
                for (int j = 0; j < x[0][0].length; j++) {
                    y[c][i][j] = x[c][i][j] > 0 ? x[c][i][j] : 0.2 * x[c][i][j];
                }
            }
        }
        return y;
    }

    /** a * s + b */
    private static double[][][] axpy(double[][][] a, double s, double[][][] b) {
        double[][][] y = new double[a.length][a[0].length][a[0][0].length];
        for (int c = 0; c < a.length; c++) {
            for (int i = 0; i < a[0].length; i++) {
                for (int j = 0; j < a[0][0].length; j++) {
                    y[c][i][j] = a[c][i][j] * s + b[c][i][j];
                }
            }
        }
        return y;
    }

    private static double[][][] cat(double[][][]... parts) {
        int n = 0;
        for (double[][][] p : parts) {
            n += p.length;
        }
        double[][][] y = new double[n][][];
        int k = 0;
        for (double[][][] p : parts) {
            for (double[][] c : p) {
                y[k++] = c;
            }
        }
        return y;
    }

    private static double[][][] nearest2x(double[][][] x) {
        double[][][] y = new double[x.length][2 * x[0].length][2 * x[0][0].length];
        for (int c = 0; c < x.length; c++) {
            for (int i = 0; i < y[0].length; i++) {
                for (int j = 0; j < y[0][0].length; j++) {
                    y[c][i][j] = x[c][i / 2][j / 2];
                }
            }
        }
        return y;
    }

    private static double[][][] forward(EsrganConfig cfg, Map<String, Tensor> t, double[][][] x, Map<String, double[][][]> keep) {
        double[][][] fea = conv(t, "conv_first", x);
        keep.put("fea_conv_first", fea);
        double[][][] trunk = fea;
        for (int n = 0; n < cfg.nb(); n++) {
            double[][][] in = trunk;
            double[][][] y = in;
            for (int k = 1; k <= 3; k++) {
                double[][][] x0 = y;
                double[][][] x1 = lrelu(conv(t, EsrganNames.dense(n, k, 1), x0));
                double[][][] x2 = lrelu(conv(t, EsrganNames.dense(n, k, 2), cat(x0, x1)));
                double[][][] x3 = lrelu(conv(t, EsrganNames.dense(n, k, 3), cat(x0, x1, x2)));
                double[][][] x4 = lrelu(conv(t, EsrganNames.dense(n, k, 4), cat(x0, x1, x2, x3)));
                double[][][] x5 = conv(t, EsrganNames.dense(n, k, 5), cat(x0, x1, x2, x3, x4));
                y = axpy(x5, 0.2, x0);
                if (n == 0 && k == 1) {
                    keep.put("rrdb0_rdb1_out", y);
                }
            }
            trunk = axpy(y, 0.2, in);
            keep.put("rrdb" + n + "_out", trunk);
        }
        double[][][] tc = conv(t, "trunk_conv", trunk);
        keep.put("trunk_conv_out", tc);
        fea = axpy(tc, 1, fea);
        keep.put("fea_after_trunk_residual", fea);
        fea = lrelu(conv(t, "upconv1", nearest2x(fea)));
        keep.put("up1_lrelu", fea);
        fea = lrelu(conv(t, "upconv2", nearest2x(fea)));
        keep.put("up2_lrelu", fea);
        fea = lrelu(conv(t, "HRconv", fea));
        keep.put("hr_lrelu", fea);
        double[][][] out = conv(t, "conv_last", fea);
        keep.put(RRDBNet.OUTPUT, out);
        return out;
    }

    @Test
    void otherWidthsDepthsAndChannelsMatchAPlainLoopForward() {
        for (EsrganConfig cfg : new EsrganConfig[] {new EsrganConfig(3, 3, 6, 3, 5), new EsrganConfig(1, 2, 5, 1, 7)}) {
            NetworkFile f = EsrganFamily.random(cfg, 11 + cfg.nf());
            RRDBNet net = RRDBNet.of(f);
            int h = 5, w = 7;
            Random r = new Random(cfg.nb());
            double[][][] x = new double[cfg.inChannels()][h][w];
            float[] flat = new float[cfg.inChannels() * h * w];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = r.nextFloat();
                x[i / (h * w)][(i / w) % h][i % w] = flat[i];
            }
            Map<String, double[][][]> ref = new java.util.LinkedHashMap<>();
            forward(cfg, f.tensorsView(), x, ref);
            long[] shape = {1, cfg.inChannels(), h, w};
            INDArray in = Nd4j.create(flat, shape, DataType.FLOAT).reshape('c', shape);
            Map<String, INDArray> got = net.run(in, RRDBNet.intermediates(cfg).toArray(String[]::new));
            for (String name : RRDBNet.intermediates(cfg)) {
                double[][][] e = ref.get(name);
                long[] es = {1, e.length, e[0].length, e[0][0].length};
                INDArray expected = Nd4j.create(DataType.FLOAT, es);
                for (int c = 0; c < e.length; c++) {
                    for (int i = 0; i < e[0].length; i++) {
                        for (int j = 0; j < e[0][0].length; j++) {
                            expected.putScalar(new long[] {0, c, i, j}, e[c][i][j]);
                        }
                    }
                }
                EsrganFixturesTest.assertElementwiseClose(expected, got.get(name), cfg.describe() + " " + name);
            }
        }
    }
}
