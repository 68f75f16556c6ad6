package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** pix2pixHD through the CLI: import, p2p grads. */
class P2pCommandsTest {
    @TempDir
    Path dir;

    private static String fixture(String name) {
        return Fixtures.file("p2p/" + name).toString();
    }

    @Test
    void importsTheFixtureCheckpointsAndComputesAStepsGradients() throws Exception {
        Path g = dir.resolve("G.safetensors");
        Path d = dir.resolve("D.safetensors");
        CliRun r = CliRun.of("import", fixture("tiny_net_G_global.pth"), "--out", g.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pix2pixHD generator (netG global"), r.out());
        r = CliRun.of("import", fixture("tiny_net_D.pth"), "--out", d.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("multiscale discriminator (input_nc 6, ndf 8, n_layers 3, num_D 2)"), r.out());

        Path out = dir.resolve("grads");
        r = CliRun.of("p2p", "grads", "--generator", g.toString(), "--discriminator", d.toString(),
                "--a", fixture("tiny_A.npy"), "--b", fixture("tiny_B.npy"), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.err().contains("VGG loss term is off"), r.err());
        JsonNode losses = JsonMapper.builder().build().readTree(Files.readString(out.resolve("losses.json")));
        JsonNode ref = Fixtures.json("p2p/tiny_losses.json");
        assertEquals(List.of("loss_G_GAN", "loss_G_GAN_Feat", "loss_G", "loss_D_real", "loss_D_fake", "loss_D"),
                List.copyOf(losses.propertyNames()));
        for (String k : losses.propertyNames()) {
            assertEquals(ref.get(k).asDouble(), losses.get(k).asDouble(), 1e-4 * Math.max(1, Math.abs(ref.get(k).asDouble())), k);
        }
        for (String kind : List.of("G", "D")) {
            Map<String, Tensor> mine = Npy.readNpz(out.resolve("grads_" + kind + ".npz"));
            Map<String, Tensor> theirs = Npy.readNpz(Fixtures.file("p2p/tiny_grads_" + (kind.equals("G") ? "G_global" : "D") + ".npz"));
            assertEquals(theirs.size(), mine.size(), kind);
            theirs.forEach((k, t) -> {
                Tensor m = mine.get(k.replace('.', '/'));
                double max = 0;
                double diff = 0;
                for (int i = 0; i < t.data().length; i++) {
                    max = Math.max(max, Math.abs(t.data()[i]));
                    diff = Math.max(diff, Math.abs(t.data()[i] - m.data()[i]));
                }
                assertTrue(diff <= (max < 1e-6 ? 1e-5 : 1e-3 * max), kind + " " + k + ": " + diff + " vs max " + max);
            });
        }
    }

    @Test
    void mismatchedInputsAndWrongNetworksAreOneLineErrors() {
        CliRun r = CliRun.of("p2p", "grads", "--generator", fixture("tiny_net_D.pth"), "--discriminator", fixture("tiny_net_D.pth"),
                "--a", fixture("tiny_A.npy"), "--b", fixture("tiny_B.npy"), "--out", dir.resolve("x").toString());
        assertFalse(r.exit() == 0);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("tiny_net_D.pth"), r.err());
        r = CliRun.of("p2p", "grads", "--generator", fixture("tiny_net_G_global.pth"), "--discriminator", fixture("tiny_net_D.pth"),
                "--a", fixture("tiny_A.npy"), "--b", fixture("tiny_vgg_B32.npy"), "--out", dir.resolve("y").toString());
        assertFalse(r.exit() == 0);
        assertTrue(r.err().contains("B must be [2, 3, 64, 64]"), r.err());
        assertFalse(Files.exists(dir.resolve("y")));
        // VGG weights that stop at relu3_1 cannot make relu4_1
        r = CliRun.of("p2p", "grads", "--generator", fixture("tiny_net_G_global.pth"), "--discriminator", fixture("tiny_net_D.pth"),
                "--a", fixture("tiny_A.npy"), "--b", fixture("tiny_B.npy"), "--vgg", fixture("tiny_vgg19_features_0to10.pth"),
                "--out", dir.resolve("z").toString());
        assertFalse(r.exit() == 0);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("missing tensor 'features/12/weight'"), r.err());
    }
}
