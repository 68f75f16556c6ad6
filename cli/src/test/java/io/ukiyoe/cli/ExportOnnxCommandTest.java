package io.ukiyoe.cli;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.onnx.OnnxRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code ukiyoe export --format onnx}: the files run in ONNX Runtime and give what {@code generate} gives (and pix2pixHD the PyTorch reference). */
class ExportOnnxCommandTest {
    @TempDir
    Path dir;

    @Test
    void generatorAndSynthesisFilesMatchGenerate() {
        Path model = imported("ada_tiny_snapshot.pkl");
        Path gen = dir.resolve("gen");
        CliRun g = CliRun.of("generate", "--model", model.toString(), "--z", Fixtures.file("ada_tiny_z.npy").toString(),
                "--truncation", "0.7", "--out", gen.toString(), "--npy", "--batch", "3");
        assertEquals(0, g.exit(), g.err());
        INDArray images = Ops.array(Npy.read(gen.resolve("images.npy")));
        INDArray ws = Ops.array(Npy.read(gen.resolve("ws.npy")));

        Path onnx = dir.resolve("g.onnx");
        CliRun e = CliRun.of("export", "--model", model.toString(), "--format", "onnx", "--truncation", "0.7", "--out", onnx.toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().startsWith("wrote " + onnx + ": input 'z' float32 [N,64]"), e.out());
        Map<String, INDArray> out = OnnxRuntime.run(onnx, "z", Fixtures.npy("ada_tiny_z.npy"), "img", "ws");
        assertClose(images, out.get("img"), "generator vs generate");
        assertClose(ws, out.get("ws"), "ws vs generate");

        Path synthesis = dir.resolve("s.onnx");
        assertEquals(0, CliRun.of("export", "--model", model.toString(), "--format", "onnx", "--synthesis-only",
                "--out", synthesis.toString()).exit());
        assertClose(images, OnnxRuntime.run(synthesis, "ws", ws, "img").get("img"), "synthesis vs generate");
    }

    @Test
    void badOptionsAreOneLineErrorsAndWriteNothing() {
        Path model = imported("rosinality_tiny.pt");
        Path onnx = dir.resolve("g.onnx");
        CliRun r = CliRun.of("export", "--model", model.toString(), "--format", "tflite", "--out", onnx.toString());
        assertEquals(2, r.exit());
        assertEquals("--format: unknown format 'tflite' (valid: samediff, onnx, rosinality-pt, safetensors-ada)", r.err().strip());
        r = CliRun.of("export", "--model", model.toString(), "--format", "onnx", "--synthesis-only", "--truncation", "0.5",
                "--out", onnx.toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--truncation does not apply"), r.err());
        Path p2p = imported("p2p/tiny_net_G_global.pth");
        r = CliRun.of("export", "--model", p2p.toString(), "--format", "onnx", "--synthesis-only", "--out", onnx.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().strip().endsWith("is an image-to-image network, not a StyleGAN2 generator"), r.err());
        assertFalse(Files.exists(onnx));
    }

    @Test
    void pix2pixHDFileMatchesThePyTorchReference() {
        Path model = imported("p2p/tiny_net_G_local.pth");
        Path onnx = dir.resolve("g.onnx");
        CliRun e = CliRun.of("export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(0, e.exit(), e.err());
        assertClose(Fixtures.npy("p2p/tiny_G_local_out.npy"),
                OnnxRuntime.run(onnx, "input", Fixtures.npy("p2p/tiny_A.npy"), "output").get("output"), "pix2pixHD");
    }

    /** A fixture checkpoint imported with {@code ukiyoe import} into a model file. */
    private Path imported(String fixture) {
        Path model = dir.resolve(fixture.replace('/', '_') + ".safetensors");
        CliRun r = CliRun.of("import", Fixtures.file(fixture).toString(), "--out", model.toString());
        assertEquals(0, r.exit(), r.err());
        return model;
    }
}
