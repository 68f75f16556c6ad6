package io.ukiyoe.graphs.pix2pixhd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.layers.TorchWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DiscriminatorTest {
    @Test
    void everyFeatureOfEveryScaleMatchesPyTorch() {
        LinkedHashMap<String, Tensor> sdict = P2pFixtures.stateDict("tiny_net_D.pth");
        DiscriminatorConfig c = DiscriminatorConfig.infer(sdict);
        assertEquals(new DiscriminatorConfig(6, 8, 3, 2, true), c);
        assertEquals(89_842, c.parameterCount());
        INDArray a = P2pFixtures.npy("tiny_A.npy");
        for (String kind : List.of("fake", "real")) {
            INDArray img = P2pFixtures.npy(kind.equals("fake") ? "tiny_G_global_out.npy" : "tiny_B.npy");
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 6, -1, -1);
            List<List<SDVariable>> feats = MultiscaleDiscriminator.forward(sd, x, c, new TorchWeights(sd, sdict, false, "D/"));
            SDVariable pooled = Generator.downsample(sd, x);
            List<String> names = new ArrayList<>(List.of(pooled.name()));
            feats.forEach(s -> s.forEach(v -> names.add(v.name())));
            Map<String, INDArray> r = sd.output(Map.of("x", Nd4j.concat(1, a, img)), names.toArray(String[]::new));
            Fixtures.assertClose(P2pFixtures.npy("tiny_D" + kind + "_input_out1.npy"), r.get(pooled.name()), "pooled input");
            for (int i = 0; i < c.numD(); i++) {
                for (int j = 0; j < c.layersPerScale(); j++) {
                    String f = "tiny_D" + kind + "_out" + i + "_scale" + (c.numD() - 1 - i) + "_layer" + j + ".npy";
                    Fixtures.assertClose(P2pFixtures.npy(f), r.get(feats.get(i).get(j).name()), f);
                }
            }
        }
    }

    @Test
    void threeScalesWithoutIntermediateModulesOnANonSquareInput() {
        DiscriminatorConfig c = new DiscriminatorConfig(4, 4, 2, 3, false);
        LinkedHashMap<String, Tensor> sdict = P2pFixtures.random(c.expectedShapes(), 9, 0.1);
        assertEquals(c, DiscriminatorConfig.infer(sdict));
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 1, 4, 40, 24);
        List<List<SDVariable>> feats = MultiscaleDiscriminator.forward(sd, x, c, new TorchWeights(sd, sdict, false, "D/"));
        INDArray logits = feats.get(2).get(3).eval(Map.of("x", Nd4j.rand(DataType.FLOAT, 1, 4, 40, 24)));
        // slot 2 sees 40x24 pooled twice (10x6); k4 p2: s2 -> 6x4, s2 -> 4x3, s1 -> 5x4, s1 -> 6x5
        assertArrayEquals(new long[] {1, 1, 6, 5}, logits.shape());
    }
}
