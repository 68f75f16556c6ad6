package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.core.rng.NumpyRandomState;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Export;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ModelCommandsTest {
    static final Path FIX = Path.of(System.getProperty("ukiyoe.shared", "../../shared")).resolve("fixtures");

    @TempDir
    Path dir;

    static Tensor npy(Path p) {
        return Npy.read(p);
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), what + " shape " + actual.shapeString());
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.data().length; i++) {
            max = Math.max(max, Math.abs(expected.data()[i]));
            diff = Math.max(diff, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(diff <= 1e-4 * Math.max(1, max), what + ": max |diff| " + diff);
    }

    private Path importModel(String fixture) {
        Path model = dir.resolve(fixture + ".safetensors");
        CliRun r = CliRun.of("import", FIX.resolve(fixture).toString(), "--out", model.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("imported " + fixture), r.out());
        assertTrue(r.err().contains("import [") && r.err().contains("2/2"), "the stage bar ends full: " + r.err());
        return model;
    }

    @Test
    void importThenGenerateAndDiscriminateReproduceTheReferences() throws Exception {
        Path model = importModel("rosinality_tiny_legacy.pt");
        Path out = dir.resolve("gen");
        CliRun g = CliRun.of("generate", "--model", model.toString(), "--z", FIX.resolve("rosinality_tiny_z.npy").toString(),
                "--truncation", "0.7", "--out", out.toString(), "--npy", "--batch", "3", "--grid", dir.resolve("grid.png").toString());
        assertEquals(0, g.exit(), g.err());
        assertClose(npy(FIX.resolve("rosinality_tiny_img_trunc07.npy")), npy(out.resolve("images.npy")), "images");
        assertClose(npy(FIX.resolve("rosinality_tiny_latent_trunc07.npy")), npy(out.resolve("ws.npy")), "ws");
        assertTrue(Files.exists(out.resolve("img0007.png")));
        assertEquals(32, ImageIO.read(out.resolve("img0000.png").toFile()).getWidth());
        assertTrue(Files.exists(out.resolve("provenance.json")));
        assertTrue(Files.exists(dir.resolve("grid.png")));

        Path mix = dir.resolve("mix");
        assertEquals(0, CliRun.of("generate", "--model", model.toString(), "--z", FIX.resolve("rosinality_tiny_z.npy").toString(),
                "--mix-z", FIX.resolve("rosinality_tiny_z2.npy").toString(), "--mix-index", "3", "--out", mix.toString(),
                "--npy").exit());
        assertClose(npy(FIX.resolve("rosinality_tiny_img_mix.npy")), npy(mix.resolve("images.npy")), "mix");

        Path logits = dir.resolve("logits.npy");
        CliRun d = CliRun.of("discriminate", "--model", model.toString(), "--images",
                FIX.resolve("rosinality_tiny_img_mix.npy").toString(), "--out", logits.toString());
        assertEquals(0, d.exit(), d.err());
        assertClose(npy(FIX.resolve("rosinality_tiny_d_logits_mix.npy")), npy(logits), "logits");
    }

    @Test
    void adaPickleGeneratesDirectlyFromWs() throws Exception {
        Path out = dir.resolve("ada");
        CliRun g = CliRun.of("generate", "--model", FIX.resolve("ada_tiny_snapshot.pkl").toString(), "--ws",
                FIX.resolve("ada_tiny_ws_psi07.npy").toString(), "--out", out.toString(), "--npy");
        assertEquals(0, g.exit(), g.err());
        assertClose(npy(FIX.resolve("ada_tiny_img_psi07.npy")), npy(out.resolve("images.npy")), "ada images");
    }

    @Test
    void seedsGiveNumpyLatents() throws Exception {
        Path model = importModel("rosinality_tiny.pt");
        Path out = dir.resolve("seeds");
        assertEquals(0, CliRun.of("generate", "--model", model.toString(), "--seeds", "14,3", "--out", out.toString(),
                "--npy").exit());
        Tensor ws = npy(out.resolve("ws.npy"));
        // seed 14's z through the mapping network equals the first layer of ws
        StyleGanModel m = StyleGanModel.read(model);
        double[] z = new NumpyRandomState(14).randn(64);
        float[] zf = new float[64];
        for (int i = 0; i < 64; i++) {
            zf[i] = (float) z[i];
        }
        INDArray w = new Generator(m).mapping(Nd4j.create(zf, new long[] {1, 64}));
        for (int i = 0; i < 64; i++) {
            assertEquals(w.getFloat(0, i), ws.data()[i], 1e-5f);
        }
        assertTrue(Files.exists(out.resolve("seed0014.png")));
        assertTrue(Files.exists(out.resolve("seed0003.png")));
    }

    @Test
    void inspectPrintsConfigCountsAndTensors() throws Exception {
        Path model = importModel("rosinality_tiny.pt");
        CliRun text = CliRun.of("inspect", model.toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("parameters: mapping 8,320  synthesis 193,971  discriminator 230,561"), text.out());
        CliRun json = CliRun.of("inspect", model.toString(), "--json");
        JsonNode root = JsonMapper.builder().build().readTree(json.out());
        assertEquals(32, root.get("config").get("resolution").asInt());
        assertEquals(8320, root.get("parameters").get("mapping").asLong());
        assertEquals(StyleGanModel.read(model).tensors().size(), root.get("tensors").size());
        assertEquals("mapping/fc0/weight", root.get("tensors").get(0).get("name").asString());
    }

    @Test
    void exportedGraphLoadsWithPlainSameDiffAndMatches() throws Exception {
        Path model = importModel("rosinality_tiny.pt");
        Path fb = dir.resolve("g.fb");
        CliRun r = CliRun.of("export", "--model", model.toString(), "--out", fb.toString(), "--truncation", "0.7");
        assertEquals(0, r.exit(), r.err());
        SameDiff sd = SameDiff.load(new File(fb.toString()), false);
        INDArray z = Ops.array(npy(FIX.resolve("rosinality_tiny_z.npy")));
        INDArray img = sd.output(Map.of(Export.Z, z), Export.IMG).get(Export.IMG);
        assertClose(npy(FIX.resolve("rosinality_tiny_img_trunc07.npy")), io.ukiyoe.core.io.NdArrays.tensor(img), "exported");
    }

    @Test
    void existingOutputsAreReplacedOnlyWithForce() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Files.writeString(model, "keep me");
        CliRun r = CliRun.of("import", FIX.resolve("rosinality_tiny.pt").toString(), "--out", model.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(model + ": already exists (use --force to replace it)", r.err().strip());
        assertEquals("keep me", Files.readString(model));
        assertEquals(0, CliRun.of("import", FIX.resolve("rosinality_tiny.pt").toString(), "--out", model.toString(),
                "--force").exit());
        assertTrue(Files.size(model) > 1000);

        Path blended = dir.resolve("b.safetensors");
        Files.writeString(blended, "keep me too");
        CliRun b = CliRun.of("blend", "--base", model.toString(), "--target", model.toString(), "--schedule", "swap",
                "--resolution", "8", "--out", blended.toString(), "--run-dir", dir.resolve("run").toString());
        assertEquals(1, b.exit(), b.err());
        assertTrue(b.err().contains("already exists (use --force"), b.err());
        assertEquals("keep me too", Files.readString(blended));
        assertFalse(Files.exists(dir.resolve("run")), "a refused blend makes no run folder");
    }

    @Test
    void badInputIsAOneLineErrorAndWritesNothing() throws Exception {
        Path broken = dir.resolve("broken.pt");
        byte[] full = Files.readAllBytes(FIX.resolve("rosinality_tiny.pt"));
        Files.write(broken, java.util.Arrays.copyOf(full, full.length / 2));
        Path dst = dir.resolve("dst.safetensors");
        CliRun r = CliRun.of("import", broken.toString(), "--out", dst.toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith(broken.toString()), r.err());
        assertFalse(Files.exists(dst));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }

        Path model = importModel("rosinality_tiny.pt");
        CliRun wrongShape = CliRun.of("generate", "--model", model.toString(), "--z",
                FIX.resolve("rosinality_tiny_img_mix.npy").toString(), "--out", dir.resolve("x").toString());
        assertEquals(1, wrongShape.exit());
        assertTrue(wrongShape.err().contains("expected shape [N, 64]"), wrongShape.err());
        assertFalse(Files.exists(dir.resolve("x")));
        CliRun badSeeds = CliRun.of("generate", "--model", model.toString(), "--seeds", "5-2", "--out", dir.resolve("y").toString());
        assertEquals(2, badSeeds.exit());
        CliRun both = CliRun.of("generate", "--model", model.toString(), "--seeds", "1", "--z", "z.npy", "--out", "y");
        assertEquals(2, both.exit());
    }
}
