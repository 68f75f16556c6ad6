package io.ukiyoe.graphs.pix2pixhd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.layers.TorchWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LocalEnhancerTest {
    @Test
    void fixtureLocalEnhancerIsInferredAndReproducesPyTorch() {
        LinkedHashMap<String, Tensor> sdict = P2pFixtures.stateDict("tiny_net_G_local.pth");
        GeneratorConfig c = GeneratorConfig.infer(sdict);
        assertEquals(new GeneratorConfig(3, 3, 8, 2, 2, 1, 1), c);
        assertEquals(205_635, c.parameterCount());
        INDArray a = P2pFixtures.npy("tiny_A.npy");
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, -1, -1);
        TorchWeights w = new TorchWeights(sd, sdict, false, "G/");
        SDVariable down = Generator.downsample(sd, x);
        SDVariable branch = GlobalGenerator.forward(sd, down, c.globalPart(), w, "model/");
        SDVariable out = Generator.forward(sd, x, c, w);
        Map<String, INDArray> r = sd.output(Map.of("x", a), down.name(), branch.name(), out.name());
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_local_input_down1.npy"), r.get(down.name()), "pooled input");
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_local_global_branch_out.npy"), r.get(branch.name()), "global branch");
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_local_out.npy"), r.get(out.name()), "G_local(A)");
    }

    @Test
    void twoEnhancersOnANonSquareInput() {
        GeneratorConfig c = new GeneratorConfig(3, 2, 2, 1, 1, 2, 2);
        LinkedHashMap<String, Tensor> sdict = P2pFixtures.random(c.expectedShapes(), 5, 0.2);
        assertEquals(c, GeneratorConfig.infer(sdict));
        assertEquals(8, c.sizeMultiple());
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable out = Generator.forward(sd, x, c, new TorchWeights(sd, sdict, false, "G/"));
        INDArray y = out.eval(Map.of("x", Nd4j.rand(DataType.FLOAT, 2, 3, 24, 40)));
        assertArrayEquals(new long[] {2, 2, 24, 40}, y.shape());
    }
}
