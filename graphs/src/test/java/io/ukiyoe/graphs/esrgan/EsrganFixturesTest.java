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

/** RRDBNet imported from both namings against the PyTorch reference (../shared/fixtures/esrgan). */
class EsrganFixturesTest {
    private static final String DIR = "esrgan/";
    private static final String ORIGINAL = DIR + "tiny_RRDBNet_x4.pth";
    private static final String BASICSR = DIR + "tiny_RRDBNet_x4_basicsr_params_ema.pth";

    @TempDir
    Path tmp;

    private static NetworkFile imported(String fixture) {
        Importer.Imported i = Importer.importAny(Fixtures.file(fixture), Importer.Format.AUTO);
        assertNotNull(i.network(), fixture + " imported as a network file");
        assertEquals(EsrganFamily.FORMAT, i.network().format());
        return i.network();
    }

    private static void assertMatchesReference(RRDBNet net, String what) {
        INDArray x = Fixtures.npy(DIR + "tiny_input.npy");
        var names = RRDBNet.intermediates(net.config());
        Map<String, INDArray> got = net.run(x, names.toArray(String[]::new));
        for (String name : names) {
            Path ref = Fixtures.file(DIR + "tiny_" + name + ".npy");
            if (Files.exists(ref)) {
                assertElementwiseClose(Fixtures.npy(DIR + "tiny_" + name + ".npy"), got.get(name), what + " " + name);
            }
        }
        assertElementwiseClose(Fixtures.npy(DIR + "tiny_out.npy"), net.upscale(x), what + " upscale()");
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
        for (NetworkFile f : new NetworkFile[] {original, basicsr}) {
            assertEquals(new EsrganConfig(3, 3, 8, 2, 4), EsrganConfig.fromJson(f.configJson()));
            assertEquals(2 + 30 * 2 + 10, f.tensors().size()); // conv_first, 3 x 5 convs per RRDB, five more convs
        }
        assertEquals(original.tensors().keySet(), basicsr.tensors().keySet());
        original.tensors().forEach((k, v) -> assertArrayEquals(v.data(), basicsr.tensors().get(k).data(), k));
        assertTrue(EsrganFamily.INSTANCE.describe(original).contains("25,387 params"), EsrganFamily.INSTANCE.describe(original));
        // every listed intermediate of the fixtures, for each naming
        long names = RRDBNet.intermediates(new EsrganConfig(3, 3, 8, 2, 4)).stream()
                .filter(n -> Files.exists(Fixtures.file(DIR + "tiny_" + n + ".npy"))).count();
        assertEquals(10, names, "intermediates with a fixture");
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
        INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 5, 9);
        assertArrayEquals(new long[] {1, 3, 20, 36}, RRDBNet.of(f).upscale(x).shape());
        assertThrows(IllegalArgumentException.class, () -> RRDBNet.of(f).upscale(
                org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 4, 5, 9)));
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
        missing.remove("body.1.rdb2.conv3.bias");
        assertTrue(loadError(write("missing.safetensors", missing)).getMessage().contains("'body.1.rdb2.conv3.bias'"));

        LinkedHashMap<String, Tensor> wrongShape = new LinkedHashMap<>(good);
        wrongShape.put("conv_up1.weight", Tensor.zeros(8, 7, 3, 3));
        String msg = loadError(write("shape.safetensors", wrongShape)).getMessage();
        assertTrue(msg.contains("'conv_up1.weight'") && msg.contains("[8, 8, 3, 3]"), msg);

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
