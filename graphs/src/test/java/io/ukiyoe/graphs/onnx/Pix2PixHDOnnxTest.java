package io.ukiyoe.graphs.onnx;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDTranslator;
import io.ukiyoe.graphs.translate.Translator;
import io.ukiyoe.graphs.translate.Translators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * pix2pixHD generators (global, and local with its enhancer) exported as ONNX run in ONNX Runtime
 * with any batch and image size and match SameDiff's translation and the PyTorch references.
 */
class Pix2PixHDOnnxTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"tiny_net_G_global.pth, tiny_G_global_out.npy", "tiny_net_G_local.pth, tiny_G_local_out.npy"})
    void generatorMatchesTranslateAndPyTorchAtAnyBatchAndSize(String checkpoint, String reference) {
        Path model = dir.resolve("G.safetensors");
        Importer.importAny(Fixtures.file("p2p/" + checkpoint), Importer.Format.AUTO).network().write(model);
        Translator t = Translators.load(model);
        Path onnx = dir.resolve("G.onnx");
        t.exportOnnx(onnx);
        INDArray a = Fixtures.npy("p2p/tiny_A.npy");                                 // [2, 3, 64, 64]
        INDArray out = run(onnx, a);
        assertClose(Fixtures.npy("p2p/" + reference), out, checkpoint + " vs PyTorch");
        assertClose(t.translate(a), out, checkpoint + " vs SameDiff");
        INDArray one = a.get(NDArrayIndex.interval(0, 1)).dup('c');
        assertClose(t.translate(one), run(onnx, one), checkpoint + " batch 1");
        INDArray three = Nd4j.concat(0, a, one);
        assertClose(t.translate(three), run(onnx, three), checkpoint + " batch 3");
        INDArray wide = a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 48), NDArrayIndex.all()).dup('c');
        assertClose(t.translate(wide), run(onnx, wide), checkpoint + " 48x64");
    }

    @Test
    void anOpWithoutAnOnnxFormIsAOneLineErrorAndWritesNothing() {
        SameDiff sd = SameDiff.create();
        sd.identity("y", sd.math().cos(sd.placeHolder("x", DataType.FLOAT, -1, 3)));
        Path out = dir.resolve("cos.onnx");
        UserError e = assertThrows(UserError.class, () -> OnnxExport.write(sd, "cos", List.of(OnnxPort.of("x", "N", 3)),
                List.of(OnnxPort.of("y", "N", 3)), Map.of(), out));
        assertTrue(e.getMessage().startsWith("ONNX export: SameDiff op 'cos'") && !e.getMessage().contains("\n"),
                e.getMessage());
        assertTrue(!Files.exists(out));
    }

    private static INDArray run(Path onnx, INDArray x) {
        return OnnxRuntime.run(onnx, Pix2PixHDTranslator.INPUT, x, Pix2PixHDTranslator.OUTPUT).get(Pix2PixHDTranslator.OUTPUT);
    }
}
