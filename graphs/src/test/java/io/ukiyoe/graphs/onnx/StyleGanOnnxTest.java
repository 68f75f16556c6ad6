package io.ukiyoe.graphs.onnx;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static io.ukiyoe.graphs.Fixtures.npy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Export;
import java.nio.file.Path;
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
 * Every StyleGAN2 fixture exported as ONNX (generator and synthesis alone) runs in ONNX Runtime at
 * batch 1 and 3 on the same file and matches SameDiff's graph and the PyTorch references.
 */
class StyleGanOnnxTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"rosinality_tiny.pt, rosinality_tiny_z.npy, rosinality_tiny_latent_trunc07.npy, rosinality_tiny_img_trunc07.npy",
            "rosinality_tiny_legacy.pt, rosinality_tiny_z.npy, rosinality_tiny_latent_trunc07.npy, rosinality_tiny_img_trunc07.npy",
            "ada_tiny_snapshot.pkl, ada_tiny_z.npy, ada_tiny_ws_psi07.npy, ada_tiny_img_psi07.npy"})
    void generatorAndSynthesisMatchSameDiffAndTheReferences(String checkpoint, String zFile, String wsFile, String imgFile) {
        StyleGanModel model = Importer.importFile(Fixtures.file(checkpoint), Importer.Format.AUTO);
        Path generator = dir.resolve("g.onnx");
        StyleGanOnnx.generator(model, 0.7, null, true, generator);
        Path synthesis = dir.resolve("s.onnx");
        StyleGanOnnx.synthesis(model, true, synthesis);
        SameDiff sameDiff = Export.build(model, 0.7, null, true);
        SameDiff sameDiffSynthesis = Export.buildSynthesis(model, true);
        for (int n : new int[] {1, 3}) {
            INDArray z = rows(npy(zFile), n);
            Map<String, INDArray> onnx = OnnxRuntime.run(generator, Export.Z, z, Export.IMG, Export.WS);
            Map<String, INDArray> sd = sameDiff.output(Map.of(Export.Z, z), Export.IMG, Export.WS);
            String at = checkpoint + " batch " + n;
            assertClose(sd.get(Export.WS), onnx.get(Export.WS), at + ": ws vs SameDiff");
            assertClose(sd.get(Export.IMG), onnx.get(Export.IMG), at + ": img vs SameDiff");
            assertClose(rows(npy(wsFile), n), onnx.get(Export.WS), at + ": ws vs PyTorch");
            assertClose(rows(npy(imgFile), n), onnx.get(Export.IMG), at + ": img vs PyTorch");

            INDArray ws = rows(npy(wsFile), n);
            INDArray img = OnnxRuntime.run(synthesis, Export.WS, ws, Export.IMG).get(Export.IMG);
            assertClose(sameDiffSynthesis.output(Map.of(Export.WS, ws), Export.IMG).get(Export.IMG), img,
                    at + ": synthesis vs SameDiff");
            assertClose(rows(npy(imgFile), n), img, at + ": synthesis vs PyTorch");
        }
    }

    /**
     * From 256 px the upsampling convs run in polyphase form (2x2 convs, stacked phases); with
     * conv_clamp every activation is clipped; a cutoff truncates the first ws only; no noise.
     */
    @Test
    void polyphaseConvsClampCutoffAndNoNoiseMatchSameDiff() {
        Map<Integer, Integer> channels = new java.util.HashMap<>();
        for (int r = 4; r <= 256; r *= 2) {
            channels.put(r, 4);
        }
        StyleGanModel model = Init.random(StyleGanConfig.of(256, 8, 6, 2, channels).withConvClamp(0.5), 11, false);
        Path file = dir.resolve("g256.onnx");
        StyleGanOnnx.generator(model, 0.5, 3, false, file);
        INDArray z = Nd4j.rand(DataType.FLOAT, 2, 8).subi(0.5).muli(4);
        Map<String, INDArray> onnx = OnnxRuntime.run(file, Export.Z, z, Export.IMG, Export.WS);
        Map<String, INDArray> sd = Export.build(model, 0.5, 3, false).output(Map.of(Export.Z, z), Export.IMG, Export.WS);
        assertClose(sd.get(Export.WS), onnx.get(Export.WS), "ws");
        assertClose(sd.get(Export.IMG), onnx.get(Export.IMG), "img");
        assertTrue(onnx.get(Export.IMG).amaxNumber().doubleValue() > 0.01, "a non-trivial image");
    }

    private static INDArray rows(INDArray a, int n) {
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(0, n);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return a.get(idx).dup('c');
    }
}
