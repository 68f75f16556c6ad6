package io.ukiyoe.graphs.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * LPIPS against rosinality's lpips (PyTorch) on ../shared/fixtures/lpips: a narrow VGG16 (widths
 * inferred from the weights), square and non-square inputs; distances to 1e-4 relative, per-tap terms,
 * the scaled input and every tap raw and normalised, and the input gradients to 1e-3 of their largest
 * magnitude (the tolerances).
 */
class LpipsTest {
    private static Lpips lpips;

    @BeforeAll
    static void load() {
        lpips = Lpips.load(Fixtures.file("lpips/tiny_lpips_vgg16.pth"), Fixtures.file("lpips/tiny_lpips_lin.pth"));
    }

    private static INDArray npy(String name) {
        return Fixtures.npy("lpips/" + name);
    }

    @Test
    void widthsComeFromTheWeights() {
        assertArrayEquals(new int[] {8, 16, 32, 48, 48}, lpips.tapWidths());
    }

    @Test
    void distancesAndTermsMatchPyTorch() {
        for (String set : new String[] {"a", "b"}) {
            INDArray x0 = npy("tiny_" + set + "_x0.npy");
            INDArray x1 = npy("tiny_" + set + "_x1.npy");
            INDArray expected = npy("tiny_" + set + "_dist.npy").reshape(-1);
            INDArray d = lpips.distances(x0, x1);
            for (int i = 0; i < expected.length(); i++) {
                double e = expected.getDouble(i);
                assertEquals(e, d.getDouble(i), 1e-4 * Math.abs(e), "set " + set + " pair " + i);
            }
            // the distance is symmetric: the argument order upstream swaps does not matter
            INDArray swapped = lpips.distances(x1, x0);
            for (int i = 0; i < expected.length(); i++) {
                assertEquals(d.getDouble(i), swapped.getDouble(i), 1e-6 * d.getDouble(i), "swap " + i);
            }
            INDArray terms = lpips.perTap(x0, x1);
            INDArray eTerms = npy("tiny_" + set + "_dist_per_layer.npy");
            assertArrayEquals(eTerms.shape(), terms.shape());
            for (int k = 0; k < 5; k++) {
                for (int i = 0; i < expected.length(); i++) {
                    double e = eTerms.getDouble(k, i);
                    assertEquals(e, terms.getDouble(k, i), 1e-4 * Math.abs(e), set + " tap " + k + " pair " + i);
                }
            }
        }
    }

    @Test
    void tapsMatchPyTorch() {
        for (String set : new String[] {"a", "b"}) {
            Map<String, Tensor> ref = Npy.readNpz(Fixtures.file("lpips/tiny_" + set + "_taps_pair0.npz"));
            for (String img : new String[] {"x0", "x1"}) {
                INDArray x = npy("tiny_" + set + "_" + img + ".npy").get(NDArrayIndex.interval(0, 1),
                        NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                Map<String, INDArray> got = lpips.tapValues(x);
                assertEquals(11, got.size());
                got.forEach((name, v) -> {
                    INDArray e = Ops.array(ref.get(img + "_" + name));
                    assertArrayEquals(e.shape(), v.shape(), name);
                    double diff = e.sub(v).amaxNumber().doubleValue();
                    // raw taps relative to their largest value, scaled and normalised absolute (README)
                    double tol = name.endsWith("normalized") || name.equals("scaled") ? 1e-5
                            : 1e-5 * e.amaxNumber().doubleValue();
                    assertTrue(diff <= tol, set + " " + img + " " + name + ": max |diff| " + diff + " > " + tol);
                });
            }
        }
    }

    @Test
    void inputGradientsMatchPyTorch() {
        for (String set : new String[] {"a", "b"}) {
            INDArray[] g = lpips.gradients(npy("tiny_" + set + "_x0.npy"), npy("tiny_" + set + "_x1.npy"));
            String[] names = {"grad_x0", "grad_x1"};
            for (int i = 0; i < 2; i++) {
                INDArray e = npy("tiny_" + set + "_" + names[i] + ".npy");
                assertArrayEquals(e.shape(), g[i].shape());
                double diff = e.sub(g[i]).amaxNumber().doubleValue();
                double tol = 1e-3 * e.amaxNumber().doubleValue();
                assertTrue(diff <= tol, set + " " + names[i] + ": max |diff| " + diff + " > " + tol);
            }
        }
    }

    @Test
    void identicalImagesHaveZeroDistanceAndFiniteGradients() {
        INDArray x = npy("tiny_a_x0.npy");
        assertEquals(0, lpips.distances(x, x.dup()).amaxNumber().doubleValue(), 1e-12);
        // an all-black image gives all-zero early taps: the norm's gradient there must not be NaN
        INDArray black = x.mul(0).sub(1);
        INDArray[] g = lpips.gradients(black, x);
        assertTrue(g[0].isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue() == 0);
        assertTrue(g[1].isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue() == 0);
    }

    @Test
    void misfitWeightsAreOneLineErrors() {
        Map<String, Tensor> vgg = StateDicts.load(Fixtures.file("lpips/tiny_lpips_vgg16.pth"));
        LinkedHashMap<String, Tensor> lin = new LinkedHashMap<>(StateDicts.load(Fixtures.file("lpips/tiny_lpips_lin.pth")));
        lin.put("lin2.model.1.weight", Tensor.zeros(1, 31, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lpips.of(vgg, lin));
        assertTrue(e.getMessage().contains("lin2.model.1.weight") && e.getMessage().contains("32"), e.getMessage());
        lin.remove("lin2.model.1.weight");
        e = assertThrows(IllegalArgumentException.class, () -> Lpips.of(vgg, lin));
        assertTrue(e.getMessage().contains("missing tensor 'lin2.model.1.weight'"), e.getMessage());
        Path linFile = Fixtures.file("lpips/tiny_lpips_lin.pth");
        UserError u = assertThrows(UserError.class, () -> Lpips.load(linFile, linFile));
        assertTrue(u.getMessage().contains("features/0/weight"), u.getMessage());
        u = assertThrows(UserError.class, () -> lpips.distances(npy("tiny_a_x0.npy"), npy("tiny_b_x0.npy")));
        assertTrue(u.getMessage().contains("one shape"), u.getMessage());
    }
}
