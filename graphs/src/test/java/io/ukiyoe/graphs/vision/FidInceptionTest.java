package io.ukiyoe.graphs.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.model.NetworkFamilies;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** pytorch-fid's InceptionV3 with the fixture's random seeded weights against the PyTorch outputs (fid/README.md). */
class FidInceptionTest {
    private static final Path WEIGHTS = Fixtures.file("fid/pt_inception-random-seeded.pth");
    private static LinkedHashMap<String, Tensor> stateDict;
    private static FidInception net;

    @BeforeAll
    static void load() {
        stateDict = StateDicts.load(WEIGHTS);
        net = new FidInception(NetworkFamilies.forStateDict(WEIGHTS, stateDict).fromStateDict(stateDict));
    }

    @Test
    void everyIntermediateOfOne64pxImage() {
        INDArray img0 = Fixtures.npy("fid/b64_input.npy").get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all());
        String[] taps = {FidInceptionGraph.INPUT_299, FidInceptionGraph.BLOCK0, FidInceptionGraph.BLOCK1,
            FidInceptionGraph.MIXED_5D, FidInceptionGraph.BLOCK2, FidInceptionGraph.MIXED_7C, FidInceptionGraph.POOL3};
        Map<String, INDArray> out = net.activations(img0, taps);
        for (String tap : new String[] {FidInceptionGraph.BLOCK0, FidInceptionGraph.BLOCK1, FidInceptionGraph.MIXED_5D,
            FidInceptionGraph.BLOCK2, FidInceptionGraph.MIXED_7C}) {
            Fixtures.assertClose(Fixtures.npy("fid/b64_img0_" + tap + ".npy"), out.get(tap), tap);
        }
        Fixtures.assertClose(Fixtures.npy("fid/b64_img0_block3_pool3.npy").reshape(1, 2048), out.get(FidInceptionGraph.POOL3),
                "pool3 alone");
    }

    @Test
    void pool3Of64pxAnd299pxBatches() {
        Fixtures.assertClose(Fixtures.npy("fid/b64_pool3.npy"), net.features(Fixtures.npy("fid/b64_input.npy")), "b64 pool3");
        Fixtures.assertClose(Fixtures.npy("fid/b299_pool3.npy"), net.features(Fixtures.npy("fid/b299_input.npy")), "b299 pool3");
    }

    @Test
    void importedModelFileGivesTheSameFeatures(@TempDir Path tmp) {
        NetworkFile f = new FidInceptionFamily().fromStateDict(stateDict);
        assertEquals(566 - 94, f.tensors().size(), "every tensor but the 94 num_batches_tracked");
        Path out = tmp.resolve("inception.safetensors");
        f.write(out);
        INDArray x = Fixtures.npy("fid/b64_input.npy").get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all());
        Fixtures.assertClose(Fixtures.npy("fid/b64_pool3.npy").get(NDArrayIndex.interval(1, 2), NDArrayIndex.all()),
                FidInception.load(out).features(x), "pool3 via the model file");
    }

    @Test
    void theBenchmarkShapesAreThoseOfTheRealFile() {
        Map<String, long[]> convs = FidInceptionShapes.convs();
        long inFile = stateDict.keySet().stream().filter(k -> k.endsWith(".conv.weight")).count();
        assertEquals(inFile, convs.size());
        convs.forEach((name, shape) -> org.junit.jupiter.api.Assertions.assertArrayEquals(
                stateDict.get(name + ".conv.weight").shape(), shape, name));
        NetworkFile random = FidInceptionShapes.random(5);
        new FidInception(random);   // builds: every tensor there and consistent
        assertEquals(stateDict.size() - 94, random.tensors().size());
    }

    @Test
    void badInputsAreOneLineErrors(@TempDir Path tmp) {
        UserError missing = assertThrows(UserError.class, () -> FidInception.load(tmp.resolve("nope.pth")));
        assertTrue(missing.getMessage().contains(FidInceptionFamily.WEIGHTS_FILE), missing.getMessage());

        UserError gray = assertThrows(UserError.class, () -> net.features(Nd4j.rand(2, 1, 32, 32)));
        assertTrue(gray.getMessage().contains("one channel"), gray.getMessage());

        LinkedHashMap<String, Tensor> cut = new LinkedHashMap<>(stateDict);
        cut.remove("Mixed_6c.branch7x7_2.bn.running_var");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FidInceptionFamily().fromStateDict(cut));
        assertTrue(e.getMessage().contains("Mixed_6c.branch7x7_2.bn.running_var"), e.getMessage());

        LinkedHashMap<String, Tensor> imagenet = new LinkedHashMap<>(stateDict);
        imagenet.put("fc.weight", Tensor.zeros(1000, 2048));
        e = assertThrows(IllegalArgumentException.class, () -> new FidInceptionFamily().fromStateDict(imagenet));
        assertTrue(e.getMessage().contains("torchvision"), e.getMessage());

        LinkedHashMap<String, Tensor> narrow = new LinkedHashMap<>(stateDict);
        narrow.put("Mixed_5c.branch1x1.conv.weight", Tensor.zeros(64, 255, 1, 1));
        e = assertThrows(IllegalArgumentException.class, () -> new FidInceptionFamily().fromStateDict(narrow));
        assertTrue(e.getMessage().contains("Mixed_5c.branch1x1.conv.weight expects 255 input channels"), e.getMessage());
    }
}
