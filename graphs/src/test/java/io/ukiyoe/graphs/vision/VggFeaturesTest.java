package io.ukiyoe.graphs.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tools.jackson.databind.JsonNode;

/**
 * VGG19 slices against torchvision: the fixture stores the weights of relu1_1..relu3_1 (features 0..10),
 * so those features and their loss terms are checked against PyTorch; the VGG input gradient against
 * central differences in float64; the deeper slices by shape with random weights.
 */
class VggFeaturesTest {
    private static final String[] SLICES = {"relu1_1", "relu2_1", "relu3_1"};

    private static LinkedHashMap<String, Tensor> fixtureWeights(VggFeatures vgg) {
        return vgg.select(StateDicts.canonical(StateDicts.load(Fixtures.file("p2p/tiny_vgg19_features_0to10.pth"))));
    }

    @Test
    void firstThreeSlicesAndTheirLossTermsMatchPyTorch() {
        VggFeatures vgg = VggFeatures.pix2pixHD().firstSlices(3);
        LinkedHashMap<String, Tensor> w = fixtureWeights(vgg);
        SameDiff sd = SameDiff.create();
        SDVariable fake = sd.placeHolder("fake", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable real = sd.placeHolder("real", DataType.FLOAT, -1, 3, -1, -1);
        TorchWeights tw = new TorchWeights(sd, w, false, "VGG/");
        List<SDVariable> ff = vgg.forward(sd, fake, tw);
        List<SDVariable> rf = vgg.forward(sd, real, tw);
        List<SDVariable> terms = VggLoss.terms(sd, vgg, tw, fake, real);
        List<String> names = new ArrayList<>();
        ff.forEach(v -> names.add(v.name()));
        rf.forEach(v -> names.add(v.name()));
        terms.forEach(v -> names.add(v.name()));
        Map<String, INDArray> r = sd.output(Map.of("fake", Fixtures.npy("p2p/tiny_vgg_G_global_out32.npy"),
                "real", Fixtures.npy("p2p/tiny_vgg_B32.npy")), names.toArray(String[]::new));
        JsonNode ref = Fixtures.json("p2p/tiny_losses.json").get("vgg32_weighted_terms");
        for (int k = 0; k < SLICES.length; k++) {
            Fixtures.assertClose(Fixtures.npy("p2p/tiny_vgg_fake_" + SLICES[k] + ".npy"), r.get(ff.get(k).name()), "fake " + SLICES[k]);
            Fixtures.assertClose(Fixtures.npy("p2p/tiny_vgg_real_" + SLICES[k] + ".npy"), r.get(rf.get(k).name()), "real " + SLICES[k]);
            double e = ref.get(k).asDouble();
            assertEquals(e, r.get(terms.get(k).name()).getDouble(0), 1e-4 * Math.max(1, Math.abs(e)), "term " + k);
        }
    }

    @Test
    void inputGradientEqualsCentralDifferences() {
        VggFeatures vgg = VggFeatures.pix2pixHD().firstSlices(3);
        LinkedHashMap<String, Tensor> w = fixtureWeights(vgg);
        // one image, a 16x16 corner: float64 convs are slow, and the check needs no more
        INDArray fake0 = corner(Fixtures.npy("p2p/tiny_vgg_G_global_out32.npy"));
        INDArray real = corner(Fixtures.npy("p2p/tiny_vgg_B32.npy"));
        SameDiff sd = SameDiff.create();
        SDVariable fake = sd.var("fake", fake0.dup());
        TorchWeights w64 = new TorchWeights(sd, w, false, "VGG/", DataType.DOUBLE);
        SDVariable loss = VggLoss.loss(sd, vgg, w64, fake, sd.constant(real)).mul(10.0);
        loss.markAsLoss();
        INDArray grad = sd.calculateGradients(Map.of(), "fake").get("fake");
        Random rng = new Random(11);
        double h = 1e-5;
        for (int t = 0; t < 4; t++) {
            long i = rng.nextInt((int) fake0.length());
            double at = fake0.getDouble(i);
            fake.getArr().putScalar(i, at + h);
            double up = loss.eval().getDouble(0);
            fake.getArr().putScalar(i, at - h);
            double down = loss.eval().getDouble(0);
            fake.getArr().putScalar(i, at);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, grad.getDouble(i), 1e-3 * grad.amaxNumber().doubleValue(), "element " + i);
        }
    }

    private static INDArray corner(INDArray x) {
        return x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.interval(0, 16),
                NDArrayIndex.interval(0, 16)).dup().castTo(DataType.DOUBLE);
    }

    @Test
    void allFiveSlicesHaveTorchvisionShapesAndMissingWeightsAreNamed() {
        VggFeatures vgg = VggFeatures.pix2pixHD();
        LinkedHashMap<String, long[]> shapes = vgg.expectedShapes();
        assertEquals(13, shapes.size() / 2);                       // conv1_1 .. conv5_1 (features 0..28)
        assertTrue(shapes.containsKey("features/28/weight"));
        Random rng = new Random(3);
        LinkedHashMap<String, Tensor> w = new LinkedHashMap<>();
        shapes.forEach((k, s) -> {
            float[] d = new float[Math.toIntExact(Tensor.numel(s))];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (rng.nextGaussian() * 0.05);
            }
            w.put(k, new Tensor(s, d));
        });
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 1, 3, 32, 48);
        List<SDVariable> f = vgg.forward(sd, x, new TorchWeights(sd, w, false, "VGG/"));
        long[][] want = {{1, 64, 32, 48}, {1, 128, 16, 24}, {1, 256, 8, 12}, {1, 512, 4, 6}, {1, 512, 2, 3}};
        Map<String, INDArray> r = sd.output(Map.of("x", org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 1, 3, 32, 48)),
                f.stream().map(SDVariable::name).toArray(String[]::new));
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(want[k], r.get(f.get(k).name()).shape(), "slice " + k);
        }
        w.remove("features/21/weight");
        var e = assertThrows(IllegalArgumentException.class, () -> vgg.select(w));
        assertTrue(e.getMessage().contains("features/21/weight"), e.getMessage());
    }
}
