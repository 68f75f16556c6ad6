package io.ukiyoe.graphs.pix2pixhd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.core.io.Zips;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFamilies;
import io.ukiyoe.graphs.model.NetworkFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** `ukiyoe import` of pix2pixHD state dicts: manifests matched, architecture inferred, broken files refused in one line. */
class ImportTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "tiny_net_G_global.pth, 'pix2pixHD generator (netG global, input_nc 3, output_nc 3, ngf 8, n_downsampling 2, n_blocks 2), 50,947 parameters'",
        "tiny_net_G_local.pth, 'pix2pixHD generator (netG local, input_nc 3, output_nc 3, ngf 8, n_downsampling 2, n_blocks 2, n_local_enhancers 1, n_blocks_local 1), 205,635 parameters'",
        "tiny_net_D.pth, 'pix2pixHD multiscale discriminator (input_nc 6, ndf 8, n_layers 3, num_D 2), 89,842 parameters'"})
    void importMatchesTheManifestAndRoundTrips(String file, String description) {
        NetworkFile f = Importer.importAny(Fixtures.file("p2p/" + file), Importer.Format.AUTO).network();
        assertEquals(Pix2PixHDFiles.FORMAT, f.format());
        assertEquals(description, NetworkFamilies.forFormat(f.format()).orElseThrow().describe(f));
        JsonNode manifest = Fixtures.json("p2p/" + file + ".manifest.json");
        List<String> names = new ArrayList<>();
        manifest.get("tensors").forEach(t -> {
            String name = t.get("name").asString().replace('.', '/');
            names.add(name);
            Tensor x = f.tensors().get(name);
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            assertArrayEquals(shape, x.shape(), name);
            assertEquals(t.get("sum").asDouble(), x.sum(), 1e-9 * Math.max(1, t.get("sumsq").asDouble()), name);
            assertEquals(t.get("sumsq").asDouble(), x.sumSquares(), 1e-9 * Math.max(1, t.get("sumsq").asDouble()), name);
        });
        assertEquals(names, List.copyOf(f.tensors().keySet()));
        Path out = dir.resolve("net.safetensors");
        f.write(out);
        if (file.contains("_D")) {
            assertEquals(DiscriminatorConfig.infer(f.tensors()), Pix2PixHDFiles.readDiscriminator(out).config());
            UserError e = assertThrows(UserError.class, () -> Pix2PixHDFiles.readGenerator(out));
            assertTrue(e.getMessage().contains("not a generator"), e.getMessage());
        } else {
            GeneratorConfig c = Pix2PixHDFiles.readGenerator(out).config();
            assertEquals(c, Pix2PixHDFiles.generatorConfig(NetworkFile.read(out, Pix2PixHDFiles.FORMAT, "1").configJson()));
            assertEquals(c, Pix2PixHDFiles.readGenerator(Fixtures.file("p2p/" + file)).config());
        }
    }

    private UserError importError(Path p) {
        UserError e = assertThrows(UserError.class, () -> Importer.importAny(p, Importer.Format.AUTO));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void truncatedFilesAreRefusedInOneLine() throws Exception {
        for (String f : List.of("tiny_net_G_global.pth", "tiny_net_D.pth")) {
            byte[] full = Files.readAllBytes(Fixtures.file("p2p/" + f));
            for (double frac : new double[] {0.001, 0.5, 0.999}) {
                Path p = dir.resolve("cut.pth");
                Files.write(p, Arrays.copyOf(full, (int) (full.length * frac)));
                importError(p);
            }
        }
    }

    /** The fixture's zip with one state-dict key renamed (same length) inside data.pkl. */
    private Path withKeyRenamed(String file, String key, String renamed) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(Fixtures.file("p2p/" + file).toFile());
             ZipOutputStream zip = new ZipOutputStream(bos)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("data.pkl")) {
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    assertTrue(s.contains(key), key);
                    b = s.replace(key, renamed).getBytes(StandardCharsets.ISO_8859_1);
                }
                Zips.putStored(zip, e.getName(), b);
            }
        }
        Path p = dir.resolve("renamed.pth");
        Files.write(p, bos.toByteArray());
        return p;
    }

    @Test
    void missingOrUnexpectedTensorsAreNamed() throws Exception {
        UserError e = importError(withKeyRenamed("tiny_net_G_global.pth", "model.19.bias", "model.19.bia2"));
        assertTrue(e.getMessage().contains("missing tensor '19/bias'"), e.getMessage());
        e = importError(withKeyRenamed("tiny_net_D.pth", "scale1_layer3.0.weight", "scale1_layer3.0.weighx"));
        assertTrue(e.getMessage().contains("missing tensor 'scale1_layer3/0/weight'"), e.getMessage());
        e = importError(withKeyRenamed("tiny_net_G_local.pth", "model1_2.5.weight", "model1_2.7.weight"));
        assertTrue(e.getMessage().contains("model1_2/5/weight"), e.getMessage());
    }
}
