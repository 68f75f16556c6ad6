package io.ukiyoe.graphs.esrgan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.model.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.JsonNode;

/**
 * RRDBNet imported from both namings against the PyTorch reference (../shared/fixtures/esrgan). The architecture,
 * files and stored tensors are read from the fixture's {@code <config>_config.json} (config {@code tiny} unless
 * {@code -Dukiyoe.esrgan.config} names another), never assumed.
 */
class EsrganFixturesTest {
    private static final String DIR = "esrgan/";
    private static final String CONFIG = System.getProperty("ukiyoe.esrgan.config", "tiny");
    private static final JsonNode META = Fixtures.json(DIR + CONFIG + "_config.json");
    private static final String ORIGINAL = DIR + META.get("checkpoints").get("official").get("file").asString();
    private static final String BASICSR = DIR + META.get("checkpoints").get("basicsr").get("file").asString();

    private static EsrganConfig expectedConfig() {
        return new EsrganConfig(META.get("in_nc").asInt(), META.get("out_nc").asInt(), META.get("nf").asInt(),
                META.get("nb").asInt(), META.get("gc").asInt());
    }

    /** Name -> fixture file of every stored array but the input. */
    private static Map<String, String> storedTensors() {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : META.get("arrays").properties()) {
            if (!e.getKey().equals("input")) {
                out.put(e.getKey(), DIR + e.getValue().get("file").asString());
            }
        }
        return out;
    }

    @TempDir
    Path tmp;

    private static NetworkFile imported(String fixture) {
        Importer.Imported i = Importer.importAny(Fixtures.file(fixture), Importer.Format.AUTO);
        assertNotNull(i.network(), fixture + " imported as a network file");
        assertEquals(EsrganFamily.FORMAT, i.network().format());
        return i.network();
    }

    private static void assertMatchesReference(RRDBNet net, String what) {
        INDArray x = Fixtures.npy(DIR + META.get("arrays").get("input").get("file").asString());
        Map<String, String> stored = storedTensors();
        assertTrue(RRDBNet.intermediates(net.config()).containsAll(stored.keySet()),
                "the graph names every stored tensor: " + stored.keySet());
        Map<String, INDArray> got = net.run(x, stored.keySet().toArray(String[]::new));
        stored.forEach((name, file) -> assertElementwiseClose(Fixtures.npy(file), got.get(name), what + " " + name));
        assertElementwiseClose(Fixtures.npy(stored.get(RRDBNet.OUTPUT)), net.upscale(x), what + " upscale()");
    }

    /** The bound per element: |got - ref| <= 1e-4 * max(1, |ref|). */
    static void assertElementwiseClose(INDArray ref, INDArray got, String what) {
        assertArrayEquals(ref.shape(), got.shape(), what + ": shape");
        float[] r = ref.dup().data().asFloat();
        float[] g = got.dup().data().asFloat();
        for (int i = 0; i < r.length; i++) {
            double tol = 1e-4 * Math.max(1, Math.abs(r[i]));
            if (Math.abs(r[i] - g[i]) > tol) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", reference " + r[i]);
            }
        }
    }

    @Test
    void bothNamingsImportWithTheInferredArchitectureAndMatchEveryStoredTensor() {
        NetworkFile original = imported(ORIGINAL);
        NetworkFile basicsr = imported(BASICSR);
        JsonNode ckpt = META.get("checkpoints").get("official");
        for (NetworkFile f : new NetworkFile[] {original, basicsr}) {
            assertEquals(expectedConfig(), EsrganConfig.fromJson(f.configJson()));
            assertEquals(ckpt.get("n_keys").asInt(), f.tensors().size());
            assertEquals(ckpt.get("n_params").asLong(), f.tensors().values().stream().mapToLong(Tensor::numel).sum());
        }
        assertEquals(original.tensors().keySet(), basicsr.tensors().keySet());
        original.tensors().forEach((k, v) -> assertArrayEquals(v.data(), basicsr.tensors().get(k).data(), k));
        assertTrue(EsrganFamily.INSTANCE.describe(original).contains(String.format(java.util.Locale.ROOT, "%,d params",
                ckpt.get("n_params").asLong())), EsrganFamily.INSTANCE.describe(original));
        assertTrue(storedTensors().size() >= 2, "the fixture stores intermediates: " + storedTensors().keySet());
        assertMatchesReference(RRDBNet.of(original), "original naming");
        assertMatchesReference(RRDBNet.of(basicsr), "BasicSR naming");
    }

    @Test
    void modelFilesAndRawSafetensorsLoadBackToTheSameNetwork() throws Exception {
        NetworkFile f = imported(BASICSR);
        Path model = tmp.resolve("esrgan.safetensors");
        f.write(model);
        assertEquals(EsrganFamily.FORMAT, NetworkFile.formatOf(model));
        assertMatchesReference(RRDBNet.of(EsrganFamily.load(model)), "model file");
        assertMatchesReference(RRDBNet.of(EsrganFamily.load(Fixtures.file(ORIGINAL))), ".pth via load");
        // a state dict saved as safetensors by another tool (BasicSR names, dots)
        LinkedHashMap<String, Tensor> raw = new LinkedHashMap<>();
        f.tensors().forEach((k, v) -> raw.put(EsrganNames.spelled(k.replace('/', '.'), EsrganNames.Naming.BASICSR), v));
        Path rawFile = tmp.resolve("raw.safetensors");
        Safetensors.write(rawFile, raw, Map.of());
        assertMatchesReference(RRDBNet.of(EsrganFamily.load(rawFile)), "raw safetensors");
    }

    @Test
    void inputOfOtherSizesGivesFourTimesTheSides() {
        NetworkFile f = imported(ORIGINAL);
        int in = expectedConfig().inChannels();
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, in, 5, 9);
        assertArrayEquals(new long[] {1, expectedConfig().outChannels(), 20, 36}, RRDBNet.of(f).upscale(x).shape());
        assertThrows(IllegalArgumentException.class, () -> RRDBNet.of(f).upscale(
                org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, in + 1, 5, 9)));
    }

    private UserError loadError(Path p) {
        UserError e = assertThrows(UserError.class, () -> EsrganFamily.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void brokenFilesGiveOneLineErrorsNamingWhatIsWrong() throws Exception {
        byte[] full = Files.readAllBytes(Fixtures.file(ORIGINAL));
        Path truncated = tmp.resolve("truncated.pth");
        for (double frac : new double[] {0.01, 0.5, 0.99}) {
            Files.write(truncated, Arrays.copyOf(full, (int) (full.length * frac)));
            loadError(truncated);
            UserError e = assertThrows(UserError.class, () -> Importer.importAny(truncated, Importer.Format.AUTO));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        Map<String, Tensor> good = new LinkedHashMap<>();
        imported(BASICSR).tensors().forEach((k, v) -> good.put(EsrganNames.spelled(k.replace('/', '.'),
                EsrganNames.Naming.BASICSR), v));

        LinkedHashMap<String, Tensor> missing = new LinkedHashMap<>(good);
        String lastBlock = "body." + (expectedConfig().nb() - 1) + ".rdb2.conv3.bias";
        missing.remove(lastBlock);
        assertTrue(loadError(write("missing.safetensors", missing)).getMessage().contains("'" + lastBlock + "'"));

        LinkedHashMap<String, Tensor> wrongShape = new LinkedHashMap<>(good);
        int nf = expectedConfig().nf();
        wrongShape.put("conv_up1.weight", Tensor.zeros(nf, nf + 1, 3, 3));
        String msg = loadError(write("shape.safetensors", wrongShape)).getMessage();
        assertTrue(msg.contains("'conv_up1.weight'") && msg.contains("[" + nf + ", " + nf + ", 3, 3]"), msg);

        LinkedHashMap<String, Tensor> extra = new LinkedHashMap<>(good);
        extra.put("conv_extra.weight", Tensor.zeros(1));
        assertTrue(loadError(write("extra.safetensors", extra)).getMessage().contains("'conv_extra.weight'"));

        LinkedHashMap<String, Tensor> nan = new LinkedHashMap<>(good);
        nan.put("conv_last.bias", new Tensor(new long[] {3}, new float[] {0, Float.NaN, 0}));
        assertTrue(loadError(write("nan.safetensors", nan)).getMessage().contains("NaN"));

        Path notEsrgan = tmp.resolve("other.pth");
        Files.copy(Fixtures.file("rosinality_tiny.pt"), notEsrgan);
        loadError(notEsrgan); // a StyleGAN2 checkpoint

        Path otherFormat = tmp.resolve("other.safetensors");
        new NetworkFile("ukiyoe.other", "1", "{}", new LinkedHashMap<>(), new LinkedHashMap<>()).write(otherFormat);
        assertTrue(loadError(otherFormat).getMessage().contains("not a ukiyoe.esrgan model file"));
    }

    private Path write(String name, Map<String, Tensor> tensors) throws Exception {
        Path p = tmp.resolve(name);
        Safetensors.write(p, tensors, Map.of());
        return p;
    }
}
