package io.ukiyoe.graphs.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.Safetensors;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.pickle.Pickles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code export --format rosinality-pt / safetensors-ada}: the files PyTorch programs load, and round trips. */
class TorchExportTest {
    @TempDir
    Path dir;

    @Test
    void rosinalityExportEqualsTheOriginalCheckpointKeyForKey() throws Exception {
        Path src = Fixtures.file("rosinality_tiny.pt");
        StyleGanModel m = Importer.importFile(src, Importer.Format.AUTO);
        Path out = dir.resolve("tiny.pt");
        RosinalityExport.write(m, out);

        Map<?, ?> original = (Map<?, ?>) Pickles.load(src).root();
        Pickles.Loaded written = Pickles.load(out);
        assertEquals(Pickles.Container.TORCH_ZIP, written.container());
        Map<?, ?> exported = (Map<?, ?>) written.root();
        for (String part : List.of("g_ema", "d")) {
            Map<?, ?> a = (Map<?, ?>) original.get(part);
            Map<?, ?> b = (Map<?, ?>) exported.get(part);
            assertEquals(new ArrayList<>(a.keySet()), new ArrayList<>(b.keySet()), part + " keys and their order");
            for (Object k : a.keySet()) {
                Tensor ta = Pickles.tensor(a.get(k));
                Tensor tb = Pickles.tensor(b.get(k));
                assertArrayEquals(ta.shape(), tb.shape(), part + "." + k + " shape");
                assertArrayEquals(ta.data(), tb.data(), part + "." + k);  // exact: FIR buffers included
            }
        }
        Tensor avg = Pickles.tensor(original.get("latent_avg"));
        assertArrayEquals(avg.data(), Pickles.tensor(exported.get("latent_avg")).data());
        assertRoundTrip(m, out);
    }

    @Test
    void legacyAndAdaFixturesRoundTripThroughRosinality() {
        for (String name : List.of("rosinality_tiny_legacy.pt", "ada_tiny_snapshot.pkl")) {
            StyleGanModel m = Importer.importFile(Fixtures.file(name), Importer.Format.AUTO);
            Path out = dir.resolve(name + ".pt");
            RosinalityExport.write(m, out);
            assertRoundTrip(m, out);
        }
    }

    private static void assertRoundTrip(StyleGanModel m, Path exported) {
        StyleGanModel back = Importer.importFile(exported, Importer.Format.ROSINALITY);
        assertEquals(m.tensors().keySet(), back.tensors().keySet(), exported.getFileName().toString());
        m.tensors().forEach((k, t) -> assertEquals(t, back.tensor(k), exported.getFileName() + ": " + k));
        assertEquals(m.config().channels(), back.config().channels());
    }

    /** What torch's PyTorchStreamReader and weights-only unpickler need, checked on the bytes. */
    @Test
    void fileHasTorchZipLayout() throws Exception {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        Path out = dir.resolve("layout.pt");
        RosinalityExport.write(m, out);
        byte[] file = Files.readAllBytes(out);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<String> names = new ArrayList<>();
        byte[] pkl = null;
        int off = 0;
        while (b.getInt(off) == 0x04034b50) {           // local file headers, in file order
            assertEquals(0, b.getShort(off + 8), "stored, not deflated");
            int size = b.getInt(off + 18);
            int nameLen = b.getShort(off + 26) & 0xffff;
            int extraLen = b.getShort(off + 28) & 0xffff;
            String name = new String(file, off + 30, nameLen, StandardCharsets.UTF_8);
            int data = off + 30 + nameLen + extraLen;
            assertEquals(0, data % 64, name + " data is 64-byte aligned");
            if (name.equals("archive/data.pkl")) {
                pkl = java.util.Arrays.copyOfRange(file, data, data + size);
            }
            if (name.equals("archive/version")) {
                assertEquals("3\n", new String(file, data, size, StandardCharsets.US_ASCII));
            }
            if (name.equals("archive/byteorder")) {
                assertEquals("little", new String(file, data, size, StandardCharsets.US_ASCII));
            }
            names.add(name);
            off = data + size;
        }
        assertEquals("archive/data.pkl", names.get(0));
        assertEquals("archive/version", names.get(names.size() - 1));
        int storages = (int) names.stream().filter(n -> n.startsWith("archive/data/")).count();
        long tensors = m.tensors().size();          // one storage per tensor, plus the derived FIR buffers
        assertTrue(storages > tensors, storages + " storages for " + tensors + " canonical tensors");
        for (int i = 0; i < storages; i++) {
            assertTrue(names.contains("archive/data/" + i), "storage " + i);
        }
        assertNotNull(pkl);
        assertEquals(0x80, pkl[0] & 0xff);
        assertEquals(2, pkl[1], "pickle protocol 2, as torch.save writes");
        TreeSet<String> globals = new TreeSet<>();
        Matcher g = Pattern.compile("c((?:torch|collections|builtins|__builtin__|numpy|_codecs|copyreg)[A-Za-z_.]*)\n([A-Za-z_0-9]+)\n").matcher(new String(pkl, StandardCharsets.ISO_8859_1));
        while (g.find()) {
            globals.add(g.group(1) + "." + g.group(2));
        }
        assertEquals(new TreeSet<>(List.of("collections.OrderedDict", "torch.FloatStorage", "torch._utils._rebuild_tensor_v2")),
                globals, "only what torch.load(weights_only=True) allows");
    }

    @Test
    void adaSafetensorsUseAdaNamesAndRoundTrip() throws Exception {
        StyleGanModel m = Importer.importFile(Fixtures.file("ada_tiny_snapshot.pkl"), Importer.Format.AUTO);
        Path out = dir.resolve("tiny-ada.safetensors");
        AdaExport.write(m, out);
        Safetensors.Contents c = Safetensors.read(out);
        assertTrue(c.tensors().containsKey("mapping.fc0.weight"));
        assertTrue(c.tensors().containsKey("mapping.w_avg"));
        assertTrue(c.tensors().containsKey("synthesis.b4.const"));
        assertTrue(c.tensors().containsKey("synthesis.b8.conv0.noise_const"));
        assertTrue(c.tensors().keySet().stream().noneMatch(k -> k.startsWith("disc")), "generator only");

        JsonNode kwargs = JsonMapper.builder().build().readTree(c.metadata().get(AdaExport.KWARGS));
        JsonNode ref = Fixtures.json("ada_tiny_config.json");
        assertEquals(ref.at("/G_kwargs/z_dim").asInt(), kwargs.get("z_dim").asInt());
        assertEquals(ref.at("/G_kwargs/mapping_kwargs/num_layers").asInt(), kwargs.at("/mapping_kwargs/num_layers").asInt());
        assertEquals(ref.at("/G_kwargs/synthesis_kwargs/channel_base").asInt(), kwargs.at("/synthesis_kwargs/channel_base").asInt());
        assertEquals(ref.at("/G_kwargs/synthesis_kwargs/channel_max").asInt(), kwargs.at("/synthesis_kwargs/channel_max").asInt());
        assertEquals(ref.at("/common_kwargs/img_resolution").asInt(), kwargs.get("img_resolution").asInt());

        StyleGanModel back = Importer.importFile(out, Importer.Format.AUTO);
        m.tensors().forEach((k, t) -> {
            if (!Names.isDiscriminator(k)) {
                assertEquals(t, back.tensor(k), k);
            }
        });
    }
}
