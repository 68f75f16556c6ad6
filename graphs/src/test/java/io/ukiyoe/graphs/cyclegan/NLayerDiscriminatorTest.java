package io.ukiyoe.graphs.cyclegan;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFamilies;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** CycleGAN's PatchGAN discriminator against the reference fixtures ({@code ../shared/fixtures/cyclegan}). */
class NLayerDiscriminatorTest {
    private static NetworkFile imported(String name) {
        return Importer.importAny(Fixtures.file("cyclegan/" + name), Importer.Format.AUTO).network();
    }

    private static INDArray npy(String name) {
        return Fixtures.npy("cyclegan/tiny_" + name + ".npy");
    }

    @Test
    void importedDiscriminatorsGiveTheReferenceLayersAndLogits() {
        NetworkFile dA = imported("latest_net_D_A.pth");
        NetworkFile dB = imported("latest_net_D_B.pth");
        assertEquals(PatchDiscriminatorFamily.FORMAT, dA.format());
        PatchDiscriminatorConfig c = PatchDiscriminatorFamily.config(dA);
        assertEquals(new PatchDiscriminatorConfig(3, 8, 3), c);
        NLayerDiscriminator d = new NLayerDiscriminator(c);
        List<INDArray> layers = d.eval(dA.tensors(), npy("real_B"));
        for (int i = 0; i < 4; i++) {
            assertClose(npy("D_A_real_layer" + i), layers.get(i), "D_A layer " + i);
        }
        assertClose(npy("D_A_real"), layers.get(4), "D_A(real_B)");
        assertClose(npy("D_A_fake"), d.logits(dA.tensors(), npy("fake_B")), "D_A(fake_B)");
        assertClose(npy("D_B_real"), d.logits(dB.tensors(), npy("real_A")), "D_B(real_A)");
        assertClose(npy("D_B_fake"), d.logits(dB.tensors(), npy("fake_A")), "D_B(fake_A)");
    }

    @Test
    void anyWidthDepthAndNonSquareInput() {
        PatchDiscriminatorConfig c = new PatchDiscriminatorConfig(4, 5, 2);
        LinkedHashMap<String, Tensor> w = c.init(11);
        assertEquals(List.of("model/0/weight", "model/0/bias", "model/2/weight", "model/2/bias", "model/5/weight",
                "model/5/bias", "model/8/weight", "model/8/bias"), List.copyOf(w.keySet()));
        assertArrayEquals(new long[] {20, 10, 4, 4}, w.get("model/5/weight").shape());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4, 24, 40);
        INDArray y = new NLayerDiscriminator(c).logits(w, x);
        // k4 s2 p1: 24 -> 12 -> 6, then k4 s1 p1 twice: 5 -> 4; 40 -> 20 -> 10 -> 9 -> 8
        assertArrayEquals(new long[] {2, 1, 4, 8}, y.shape());
        assertEquals(4, c.outputSize(24));
        // each sample is judged alone (instance norm, no batch statistics)
        INDArray one = new NLayerDiscriminator(c).logits(w, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)));
        assertClose(y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)), one, "sample 1 alone");
        assertThrows(IllegalArgumentException.class, () -> new NLayerDiscriminator(c).logits(w,
                Nd4j.rand(DataType.FLOAT, 1, 4, 6, 40)));
    }

    @Test
    void familyClaimsDiscriminatorsOnly(@TempDir Path tmp) {
        PatchDiscriminatorFamily f = new PatchDiscriminatorFamily();
        Map<String, Tensor> dDict = StateDicts.load(Fixtures.file("cyclegan/latest_net_D_A.pth"));
        Map<String, Tensor> gDict = StateDicts.load(Fixtures.file("cyclegan/latest_net_G_A.pth"));
        assertTrue(f.recognises(dDict));
        assertFalse(f.recognises(gDict), "a ResnetGenerator state dict is not a discriminator");
        assertTrue(NetworkFamilies.forStateDict(tmp, dDict) instanceof PatchDiscriminatorFamily);
        // pre-0.4 checkpoints carry InstanceNorm buffers: ignored
        LinkedHashMap<String, Tensor> old = new LinkedHashMap<>(dDict);
        old.put("model.3.running_mean", Tensor.zeros(16));
        old.put("model.3.running_var", Tensor.zeros(16));
        assertTrue(f.recognises(old));
        assertEquals(dDict.size(), f.fromStateDict(old).tensors().size());
        // a batch-norm discriminator is named as such
        LinkedHashMap<String, Tensor> bn = new LinkedHashMap<>(dDict);
        bn.put("model.3.weight", Tensor.zeros(16));
        bn.put("model.3.bias", Tensor.zeros(16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.fromStateDict(bn));
        assertTrue(e.getMessage().contains("only norm 'instance'"), e.getMessage());
        // a mis-shaped tensor is named
        LinkedHashMap<String, Tensor> bad = new LinkedHashMap<>(dDict);
        bad.put("model.5.bias", Tensor.zeros(31));
        e = assertThrows(IllegalArgumentException.class, () -> f.fromStateDict(bad));
        assertTrue(e.getMessage().contains("model/5/bias has shape [31], expected [32]"), e.getMessage());
        assertTrue(f.describe(f.fromStateDict(dDict)).contains("44,537 params"));
    }

    @Test
    void writtenFileReadsBack(@TempDir Path tmp) {
        NetworkFile dA = imported("latest_net_D_A.pth");
        Path p = tmp.resolve("d.safetensors");
        dA.write(p);
        NetworkFile back = NetworkFile.read(p, PatchDiscriminatorFamily.FORMAT, PatchDiscriminatorFamily.VERSION);
        assertEquals(PatchDiscriminatorFamily.config(dA), PatchDiscriminatorFamily.config(back));
        assertEquals(dA.tensors(), back.tensors());
        assertThrows(UserError.class, () -> NetworkFile.read(p, "ukiyoe.other", "1"));
    }
}
