package io.ukiyoe.graphs.pix2pixhd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tools.jackson.databind.JsonNode;

class GradientStepTest {
    /** Each gradient within 1e-3 of its reference tensor's largest magnitude, every tensor present. */
    static void assertGradients(Map<String, Tensor> reference, Map<String, INDArray> actual, String what) {
        assertEquals(reference.keySet().stream().map(k -> k.replace('.', '/')).sorted().toList(),
                actual.keySet().stream().sorted().toList(), what + " keys");
        reference.forEach((k, t) -> {
            INDArray e = Ops.array(t);
            INDArray a = actual.get(k.replace('.', '/'));
            assertTrue(Arrays.equals(e.shape(), a.shape()), what + " " + k + " shape");
            double diff = e.sub(a).amaxNumber().doubleValue();
            double max = e.amaxNumber().doubleValue();
            // biases before instance norm have no true gradient: their references are float32 round-off (< 1e-6)
            double tol = max < 1e-6 ? 1e-5 : 1e-3 * max;
            assertTrue(diff <= tol, what + " " + k + ": max |diff| " + diff + " > " + tol);
        });
    }

    @Test
    void lossesAndGradientsOfBothNetworksMatchPyTorch() {
        LinkedHashMap<String, Tensor> g = P2pFixtures.stateDict("tiny_net_G_global.pth");
        LinkedHashMap<String, Tensor> d = P2pFixtures.stateDict("tiny_net_D.pth");
        var nets = new GradientStep.Nets(GeneratorConfig.infer(g), g, DiscriminatorConfig.infer(d), d, null, Losses.LAMBDA_FEAT);
        GradientStep.Result r = GradientStep.compute(nets, P2pFixtures.npy("tiny_A.npy"), P2pFixtures.npy("tiny_B.npy"));
        JsonNode ref = Fixtures.json("p2p/tiny_losses.json");
        assertEquals(List.of("loss_G_GAN", "loss_G_GAN_Feat", "loss_G", "loss_D_real", "loss_D_fake", "loss_D"),
                List.copyOf(r.losses().keySet()));
        r.losses().forEach((k, v) -> {
            double e = ref.get(k).asDouble();
            assertEquals(e, v, 1e-4 * Math.max(1, Math.abs(e)), k);
        });
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_global_out.npy"), r.fake(), "fake");
        assertGradients(Npy.readNpz(Fixtures.file("p2p/tiny_grads_G_global.npz")), r.gradsG(), "G");
        assertGradients(Npy.readNpz(Fixtures.file("p2p/tiny_grads_D.npz")), r.gradsD(), "D");
    }

    @Test
    void theVggTermAddsLambdaTimesTheVggLossToLossG() {
        LinkedHashMap<String, Tensor> g = P2pFixtures.stateDict("tiny_net_G_global.pth");
        LinkedHashMap<String, Tensor> d = P2pFixtures.stateDict("tiny_net_D.pth");
        LinkedHashMap<String, Tensor> vgg = P2pFixtures.random(io.ukiyoe.graphs.vision.VggFeatures.pix2pixHD().expectedShapes(), 4, 0.02);
        INDArray a = corner(P2pFixtures.npy("tiny_vgg_A32.npy"));       // one 16x16 image keeps VGG19 cheap
        INDArray b = corner(P2pFixtures.npy("tiny_vgg_B32.npy"));
        var with = GradientStep.compute(new GradientStep.Nets(GeneratorConfig.infer(g), g, DiscriminatorConfig.infer(d), d, vgg, 10), a, b);
        Map<String, Double> l = with.losses();
        assertEquals(List.of("loss_G_GAN", "loss_G_GAN_Feat", "loss_G_VGG", "loss_G", "loss_D_real", "loss_D_fake", "loss_D"),
                List.copyOf(l.keySet()));
        assertEquals(l.get("loss_G_GAN") + l.get("loss_G_GAN_Feat") + l.get("loss_G_VGG"), l.get("loss_G"), 1e-5 * l.get("loss_G"));
        // lambda_feat x VGGLoss(G(A), B), computed apart in a forward-only graph
        SameDiff sd = SameDiff.create();
        var w = new io.ukiyoe.graphs.layers.TorchWeights(sd, vgg, false, "VGG/");
        double separate = io.ukiyoe.graphs.vision.VggLoss.loss(sd, io.ukiyoe.graphs.vision.VggFeatures.pix2pixHD(), w,
                sd.constant(with.fake()), sd.constant(b)).eval().getDouble(0) * 10;
        assertTrue(separate > 0);
        assertEquals(separate, l.get("loss_G_VGG"), 1e-4 * Math.max(1, separate));
    }

    @Test
    void aReusedStepReadsTheNetworksCurrentValues() {
        LinkedHashMap<String, Tensor> g = P2pFixtures.stateDict("tiny_net_G_global.pth");
        LinkedHashMap<String, Tensor> d = P2pFixtures.stateDict("tiny_net_D.pth");
        INDArray a = corner(P2pFixtures.npy("tiny_A.npy"));
        INDArray b = corner(P2pFixtures.npy("tiny_B.npy"));
        var nets = new GradientStep.Nets(GeneratorConfig.infer(g), g, DiscriminatorConfig.infer(d), d, null, Losses.LAMBDA_FEAT);
        GradientStep step = new GradientStep(nets, a.shape(), b.shape());
        GradientStep.Result first = step.step(a, b);
        // a trainer updates the arrays in place: both networks' changes must reach both graphs
        for (Map<String, Tensor> net : List.of(g, d)) {
            net.values().forEach(t -> {
                float[] x = t.data();
                for (int i = 0; i < x.length; i++) {
                    x[i] *= 0.9f;
                }
            });
        }
        GradientStep.Result again = step.step(a, b);
        GradientStep.Result fresh = GradientStep.compute(nets, a, b);
        assertTrue(Math.abs(first.losses().get("loss_G") - again.losses().get("loss_G")) > 1e-3, "the change shows");
        fresh.losses().forEach((k, v) -> assertEquals(v, again.losses().get(k), 1e-5 * Math.max(1, Math.abs(v)), k));
        Fixtures.assertClose(fresh.fake(), again.fake(), "fake");
        Fixtures.assertClose(fresh.gradsG().get("model/1/weight"), again.gradsG().get("model/1/weight"), "G grad");
        Fixtures.assertClose(fresh.gradsD().get("scale0_layer0/0/weight"), again.gradsD().get("scale0_layer0/0/weight"), "D grad");
        Fixtures.assertClose(fresh.fake(), step.generate(a), "generate");
    }

    private static INDArray corner(INDArray x) {
        return x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.interval(0, 16), NDArrayIndex.interval(0, 16)).dup();
    }
}
