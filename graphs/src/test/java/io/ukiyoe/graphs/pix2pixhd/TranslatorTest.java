package io.ukiyoe.graphs.pix2pixhd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.translate.Translator;
import io.ukiyoe.graphs.translate.Translators;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class TranslatorTest {
    @TempDir
    Path dir;

    @Test
    void modelFileLoadsByFormatTranslatesAndExportsAGraphWithTheSameOutput() {
        Path g = dir.resolve("G.safetensors");
        Importer.importAny(Fixtures.file("p2p/tiny_net_G_local.pth"), Importer.Format.AUTO).network().write(g);
        assertTrue(Translators.handles(g));
        Translator t = Translators.load(g);
        assertEquals(8, t.sizeMultiple());
        assertEquals(3, t.outputChannels());
        INDArray a = P2pFixtures.npy("tiny_A.npy");
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_local_out.npy"), t.translate(a), "translate");
        Path fb = dir.resolve("G.fb");
        t.export(fb);
        SameDiff loaded = SameDiff.load(fb.toFile(), true);
        INDArray out = loaded.output(Map.of(Pix2PixHDTranslator.INPUT, a), Pix2PixHDTranslator.OUTPUT).get(Pix2PixHDTranslator.OUTPUT);
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_local_out.npy"), out, "exported graph");
        var e = assertThrows(UserError.class, () -> t.translate(a.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 60),
                org.nd4j.linalg.indexing.NDArrayIndex.all())));
        assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
        Path d = dir.resolve("D.safetensors");
        Importer.importAny(Fixtures.file("p2p/tiny_net_D.pth"), Importer.Format.AUTO).network().write(d);
        e = assertThrows(UserError.class, () -> Translators.load(d));
        assertTrue(e.getMessage().contains("not a generator"), e.getMessage());
    }

    /** A global generator's translator (random weights made on demand, laid out once): PyTorch's output. */
    @Test
    void globalGeneratorTranslatesAsPyTorchAndAsItsLayerGraph() {
        Path g = dir.resolve("G_global.safetensors");
        Importer.importAny(Fixtures.file("p2p/tiny_net_G_global.pth"), Importer.Format.AUTO).network().write(g);
        Translator t = Translators.load(g);
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_global_out.npy"), t.translate(P2pFixtures.npy("tiny_A.npy")), "translate (global)");
        Path fb = dir.resolve("G_global.fb");
        t.export(fb);
        INDArray a = P2pFixtures.npy("tiny_A.npy");
        INDArray exported = SameDiff.load(fb.toFile(), true).output(Map.of(Pix2PixHDTranslator.INPUT, a), Pix2PixHDTranslator.OUTPUT)
                .get(Pix2PixHDTranslator.OUTPUT);
        Fixtures.assertClose(P2pFixtures.npy("tiny_G_global_out.npy"), exported, "exported graph (global)");

        // other widths, depths, a batch of two non-square images: against the trainable-form graph's layers
        GlobalGeneratorConfig c = GlobalGeneratorConfig.of(2, 1, 4, 3, 2);
        var sdict = P2pFixtures.random(c.expectedShapes("model/"), 5, 0.2);
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 2, 40, 24).muli(2).subi(1);
        SameDiff trainable = SameDiff.create();
        var in = trainable.placeHolder("x", org.nd4j.linalg.api.buffer.DataType.FLOAT, -1, c.inputNc(), -1, -1);
        INDArray expected = GlobalGenerator.forward(trainable, in, c, new io.ukiyoe.graphs.layers.TorchWeights(trainable, sdict, true, "G/"),
                "model/").eval(Map.of("x", x));
        INDArray got = new Pix2PixHDTranslator(new Pix2PixHDFiles.GeneratorNet(GeneratorConfig.global(c), sdict)).translate(x);
        Fixtures.assertClose(expected, got, "translator vs layer graph");
    }
}
