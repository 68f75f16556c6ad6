package io.ukiyoe.graphs.pix2pixhd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.layers.TorchWeights;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GlobalGeneratorTest {
    static INDArray run(LinkedHashMap<String, Tensor> sdict, GlobalGeneratorConfig c, INDArray x) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, c.inputNc(), -1, -1);
        SDVariable out = GlobalGenerator.forward(sd, in, c, new TorchWeights(sd, sdict, false, "G/"), "model/");
        return out.eval(java.util.Map.of("x", x));
    }

    @Test
    void fixtureGeneratorIsInferredAndReproducesPyTorch() {
        LinkedHashMap<String, Tensor> sdict = P2pFixtures.stateDict("tiny_net_G_global.pth");
        GlobalGeneratorConfig c = GlobalGeneratorConfig.infer(sdict, "model/", "G");
        assertEquals(GlobalGeneratorConfig.of(3, 3, 8, 2, 2), c);
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_global_out.npy"), run(sdict, c, P2pFixtures.npy("tiny_A.npy")), "G_global(A)");
    }

    @Test
    void otherWidthsDepthsAndNonSquareSizes() {
        GlobalGeneratorConfig c = GlobalGeneratorConfig.of(2, 1, 4, 3, 1);
        LinkedHashMap<String, Tensor> sdict = P2pFixtures.random(c.expectedShapes("model/"), 3, 0.2);
        assertEquals(c, GlobalGeneratorConfig.infer(sdict, "model/", "G"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 40, 24).muli(2).subi(1);
        INDArray y = run(sdict, c, x);
        assertArrayEquals(new long[] {1, 1, 40, 24}, y.shape());
        assertTrue(y.amaxNumber().doubleValue() <= 1.0);
        // a transposed conv whose shape does not fit the inferred width is named
        sdict.put("model/17/weight", Tensor.zeros(16, 4, 3, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> GlobalGeneratorConfig.infer(sdict, "model/", "G"));
        assertTrue(e.getMessage().contains("'17/weight' has shape [16, 4, 3, 3], expected [16, 8, 3, 3]"), e.getMessage());
    }
}
