package io.ukiyoe.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.align.FaceAlign;
import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.graphs.mtcnn.AreaResample;
import io.ukiyoe.graphs.mtcnn.Boxes;
import io.ukiyoe.graphs.mtcnn.Mtcnn;
import io.ukiyoe.graphs.mtcnn.ONet;
import io.ukiyoe.graphs.mtcnn.RgbPlanes;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Alignment from detected points against alignment from the true points, on {@code data synth} photos
 * (256 px, labels from the renderer).
 *
 * <p>Variant tested: a tiny O-Net-shaped landmark regressor made here (the seeded-random fixture weights
 * find no real landmarks): facenet-pytorch's O-Net layout ({@link ONet#build}) with fewer channels, a
 * seeded random trunk, and the landmark head {@code dense6_3} fitted by ridge regression on 768 synthetic
 * faces. It runs through the production inference path: {@link ONet} on those weights, a {@link Boxes#pad}
 * + {@link AreaResample} crop of a fixed box around the middle of the portrait, and {@link Mtcnn#landmarks}.
 * P-Net and R-Net, which only propose that box, are not part of this check. The measure: where the true
 * eyes and mouth corners land in the 256 px aligned output when aligned from the detected points, against
 * where they land when aligned from the true points (the worst of the four points per face).
 */
class DetectedAlignmentTest {
    static final int PHOTO = 256;
    static final int OUT = 256;
    /** The O-Net box: a fixed square around the middle of the portrait, 1-based inclusive like MTCNN's boxes. */
    static final float[] BOX = {0.30f * PHOTO + 1, 0.38f * PHOTO + 1, 0.70f * PHOTO, 0.78f * PHOTO};

    /** Layer shapes of the tiny regressor (facenet-pytorch keys): O-Net's layout with fewer channels. */
    static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

    static {
        long[][] convs = {{8, 3, 3}, {16, 8, 3}, {16, 16, 3}, {32, 16, 2}};
        for (int i = 0; i < 4; i++) {
            long[] c = convs[i];
            SHAPES.put("conv" + (i + 1) + ".weight", new long[] {c[0], c[1], c[2], c[2]});
            SHAPES.put("conv" + (i + 1) + ".bias", new long[] {c[0]});
            SHAPES.put("prelu" + (i + 1) + ".weight", new long[] {c[0]});
        }
        dense("dense5", 512, 32 * 3 * 3);
        SHAPES.put("prelu5.weight", new long[] {512});
        dense("dense6_1", 2, 512);
        dense("dense6_2", 4, 512);
        dense("dense6_3", 10, 512);
    }

    static void dense(String name, long out, long in) {
        SHAPES.put(name + ".weight", new long[] {out, in});
        SHAPES.put(name + ".bias", new long[] {out});
    }

    record Sample(float[] crop, double[][] truth) {}

    static Sample sample(long seed) {
        SynthFace.Rendered r = SynthFace.render(SynthFace.Domain.PHOTO, PHOTO, seed);
        BufferedImage img = r.image();
        RgbPlanes planes = RgbPlanes.fromArgb(PHOTO, PHOTO, img.getRGB(0, 0, PHOTO, PHOTO, null, 0, PHOTO));
        int[] p = Boxes.pad(BOX, PHOTO, PHOTO);
        float[] crop = new float[3 * ONet.SIZE * ONet.SIZE];
        AreaResample.cropTo(planes, p[0] - 1, p[1], p[2] - 1, p[3], ONet.SIZE, ONet.SIZE, crop, 0);
        SynthFace.Face f = r.face();
        double[][] truth = {{f.eyeLeftX(), f.eyeLeftY()}, {f.eyeRightX(), f.eyeRightY()},
            {f.mouthLeftX(), f.mouthLeftY()}, {f.mouthRightX(), f.mouthRightY()}};
        return new Sample(crop, truth);
    }

    /** Training target: the inverse of {@link Mtcnn#landmarks} on {@link #BOX}; the nose (unlabelled) at the mean point. */
    static float[] target(double[][] t) {
        double[][] five = {t[0], t[1], {(t[0][0] + t[1][0] + t[2][0] + t[3][0]) / 4, (t[0][1] + t[1][1] + t[2][1] + t[3][1]) / 4},
            t[2], t[3]};
        float w = BOX[2] - BOX[0] + 1;
        float h = BOX[3] - BOX[1] + 1;
        float[] y = new float[10];
        for (int k = 0; k < 5; k++) {
            y[k] = (float) ((five[k][0] - BOX[0] + 1) / w);
            y[5 + k] = (float) ((five[k][1] - BOX[1] + 1) / h);
        }
        return y;
    }

    @Test
    void alignmentFromDetectedPointsIsWithinAFewPixelsOfAlignmentFromTrueOnes() {
        int nTrain = 768;
        float[] x = new float[nTrain * 3 * ONet.SIZE * ONet.SIZE];
        float[] y = new float[nTrain * 10];
        for (int i = 0; i < nTrain; i++) {
            Sample s = sample(SynthFace.imageSeed(101, i));
            System.arraycopy(s.crop(), 0, x, i * s.crop().length, s.crop().length);
            System.arraycopy(target(s.truth()), 0, y, i * 10, 10);
        }
        Map<String, Tensor> weights = train(x, y, nTrain);

        ONet onet = new ONet(weights);
        int nTest = 24;
        double sumDetected = 0;
        double worstDetected = 0;
        int within4 = 0;
        double sumMean = 0;
        double[][] mean = meanTruth(y, nTrain);
        for (int i = 0; i < nTest; i++) {
            Sample s = sample(SynthFace.imageSeed(202, i));
            INDArray in = Nd4j.create(s.crop(), new long[] {1, 3, ONet.SIZE, ONet.SIZE}, 'c');
            float[] lm = onet.forward(in).landmarks().dup('c').data().asFloat();
            float[][] p = Mtcnn.landmarks(new float[] {BOX[0], BOX[1], BOX[2], BOX[3], 1f}, lm);
            FaceAlign.Landmarks detected = new FaceAlign.Landmarks(d(p[0]), d(p[1]), d(p[3]), d(p[4]));
            double e = displacement(detected, s.truth());
            sumDetected += e;
            worstDetected = Math.max(worstDetected, e);
            within4 += e <= 4 ? 1 : 0;
            sumMean += displacement(new FaceAlign.Landmarks(mean[0], mean[1], mean[2], mean[3]), s.truth());
        }
        double meanDetected = sumDetected / nTest;
        double meanConstant = sumMean / nTest;
        String msg = String.format(Locale.ROOT, "at %d px: detected points move the aligned landmarks by %.2f px on average"
                + " (worst %.2f, %d of %d faces within 4 px); the average face's points by %.2f px", OUT, meanDetected, worstDetected,
                within4, nTest, meanConstant);
        System.out.println(msg);
        assertTrue(meanDetected <= 3.0 && within4 >= 0.8 * nTest, msg);
        assertTrue(meanDetected < 0.5 * meanConstant, "the regressor must beat the average face: " + msg);
    }

    static double[] d(float[] p) {
        return new double[] {p[0], p[1]};
    }

    /** The largest distance, over the four true points, between where each lands in the output aligned from {@code lm} and aligned from the truth. */
    static double displacement(FaceAlign.Landmarks lm, double[][] truth) {
        FaceAlign.Quad fromDetected = FaceAlign.quad(lm.imageLeftFirst());
        FaceAlign.Quad fromTruth = FaceAlign.quad(new FaceAlign.Landmarks(truth[0], truth[1], truth[2], truth[3]).imageLeftFirst());
        double worst = 0;
        for (double[] t : truth) {
            double[] a = fromDetected.project(t, OUT);
            double[] b = fromTruth.project(t, OUT);
            worst = Math.max(worst, Math.hypot(a[0] - b[0], a[1] - b[1]));
        }
        return worst;
    }

    static double[][] meanTruth(float[] y, int n) {
        float w = BOX[2] - BOX[0] + 1;
        float h = BOX[3] - BOX[1] + 1;
        double[][] m = new double[4][2];
        int[] idx = {0, 1, 3, 4};
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                m[k][0] += (y[i * 10 + idx[k]] * w + BOX[0] - 1) / n;
                m[k][1] += (y[i * 10 + 5 + idx[k]] * h + BOX[1] - 1) / n;
            }
        }
        return m;
    }

    /**
     * Trains the O-Net-shaped regressor: a random O-Net trunk (seeded, He init) whose 256 dense5 features
     * feed a landmark head fitted by ridge regression (closed form: gradient training in SameDiff takes
     * minutes on this project's shared 2-core machine). Returns all weights by facenet-pytorch key.
     */
    static Map<String, Tensor> train(float[] x, float[] y, int n) {
        Map<String, Tensor> w = randomTrunk(new Random(17));
        int f = (int) SHAPES.get("dense6_3.weight")[1];
        // the same network with an identity landmark head gives the features
        Map<String, Tensor> probe = new LinkedHashMap<>(w);
        float[] eye = new float[f * f];
        for (int i = 0; i < f; i++) {
            eye[i * f + i] = 1f;
        }
        probe.put("dense6_3.weight", new Tensor(new long[] {f, f}, eye));
        probe.put("dense6_3.bias", Tensor.zeros(f));
        float[] feats = new ONet(probe).forward(Nd4j.create(x, new long[] {n, 3, ONet.SIZE, ONet.SIZE}, 'c'))
                .landmarks().dup('c').data().asFloat();
        double[][] head = ridge(feats, y, n, f, 10, 1e-4);
        float[] hw = new float[10 * f];
        float[] hb = new float[10];
        for (int o = 0; o < 10; o++) {
            for (int i = 0; i < f; i++) {
                hw[o * f + i] = (float) head[o][i];
            }
            hb[o] = (float) head[o][f];
        }
        w.put("dense6_3.weight", new Tensor(new long[] {10, f}, hw));
        w.put("dense6_3.bias", new Tensor(new long[] {10}, hb));
        return w;
    }

    static Map<String, Tensor> randomTrunk(Random r) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        SHAPES.forEach((key, s) -> {
            float[] v = new float[(int) Tensor.numel(s)];
            if (key.startsWith("prelu")) {
                java.util.Arrays.fill(v, 0.25f);
            } else if (key.endsWith(".weight")) {
                long fanIn = s.length == 4 ? s[1] * s[2] * s[3] : s[1];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * Math.sqrt(2.0 / fanIn));
                }
            }
            out.put(key, new Tensor(s.clone(), v));
        });
        return out;
    }

    /**
     * Least squares with a ridge {@code lambda * trace / f} on centred features: per output o, the row
     * {@code [w_0 .. w_{f-1}, bias]}.
     */
    static double[][] ridge(float[] feats, float[] y, int n, int f, int outs, double lambda) {
        double[] mx = new double[f];
        double[] my = new double[outs];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                mx[j] += feats[i * f + j] / (double) n;
            }
            for (int o = 0; o < outs; o++) {
                my[o] += y[i * outs + o] / (double) n;
            }
        }
        double[][] a = new double[f][f + outs];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double xj = feats[i * f + j] - mx[j];
                for (int k = 0; k < f; k++) {
                    a[j][k] += xj * (feats[i * f + k] - mx[k]);
                }
                for (int o = 0; o < outs; o++) {
                    a[j][f + o] += xj * (y[i * outs + o] - my[o]);
                }
            }
        }
        double trace = 0;
        for (int j = 0; j < f; j++) {
            trace += a[j][j];
        }
        for (int j = 0; j < f; j++) {
            a[j][j] += lambda * trace / f;
        }
        // Gauss-Jordan on the symmetric positive definite system (no pivoting needed)
        for (int p = 0; p < f; p++) {
            double d = a[p][p];
            for (int c = p; c < f + outs; c++) {
                a[p][c] /= d;
            }
            for (int rr = 0; rr < f; rr++) {
                if (rr != p && a[rr][p] != 0) {
                    double m = a[rr][p];
                    for (int c = p; c < f + outs; c++) {
                        a[rr][c] -= m * a[p][c];
                    }
                }
            }
        }
        double[][] out = new double[outs][f + 1];
        for (int o = 0; o < outs; o++) {
            double b = my[o];
            for (int j = 0; j < f; j++) {
                out[o][j] = a[j][f + o];
                b -= out[o][j] * mx[j];
            }
            out[o][f] = b;
        }
        return out;
    }
}
