package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CycleGanGradsCommandTest {
    @TempDir
    Path dir;

    private static String fx(String name) {
        return Fixtures.file("cyclegan/" + name).toString();
    }

    private static CliRun grads(String b, Path out) {
        return CliRun.of("cyclegan", "grads", "--g-a", fx("latest_net_G_A.pth"), "--g-b", fx("latest_net_G_B.pth"),
                "--d-a", fx("latest_net_D_A.pth"), "--d-b", fx("latest_net_D_B.pth"), "--a", fx("tiny_real_A.npy"),
                "--b", b, "--out", out.toString());
    }

    @Test
    void writesTheReferenceLossesAndGradientsUnderCanonicalKeys() throws Exception {
        Path out = dir.resolve("g");
        CliRun r = grads(fx("tiny_real_B.npy"), out);
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().lines().count(), "one summary line: " + r.out());
        JsonNode losses = JsonMapper.builder().build().readTree(Files.readString(out.resolve("losses.json")));
        JsonNode ref = Fixtures.json("cyclegan/tiny_losses.json");
        for (String k : List.of("loss_G_A", "loss_G_B", "loss_cycle_A", "loss_cycle_B", "loss_idt_A", "loss_idt_B",
                "loss_G", "loss_D_A", "loss_D_B")) {
            double e = ref.get(k).asDouble();
            assertEquals(e, losses.get(k).asDouble(), 1e-4 * Math.max(1, Math.abs(e)), k);
        }
        for (String n : List.of("G_A", "G_B", "D_A", "D_B")) {
            Map<String, Tensor> mine = Npy.readNpz(out.resolve("grads_" + n + ".npz"));
            Map<String, Tensor> expected = Npy.readNpz(Fixtures.file("cyclegan/tiny_grads_" + n + ".npz"));
            assertEquals(expected.keySet().stream().map(k -> k.replace('.', '/')).toList(), List.copyOf(mine.keySet()), n);
        }
        // the last conv of each net has a true gradient: compare it at the tolerance
        Tensor ref19 = Npy.readNpz(Fixtures.file("cyclegan/tiny_grads_G_B.npz")).get("model.19.weight");
        Tensor my19 = Npy.readNpz(out.resolve("grads_G_B.npz")).get("model/19/weight");
        double max = 0, diff = 0;
        for (int i = 0; i < ref19.data().length; i++) {
            max = Math.max(max, Math.abs(ref19.data()[i]));
            diff = Math.max(diff, Math.abs(ref19.data()[i] - my19.data()[i]));
        }
        assertTrue(diff <= 1e-3 * max, diff + " vs " + max);
    }

    @Test
    void mismatchedBatchIsOneLineErrorAndNothingIsWritten() throws Exception {
        Tensor b = Npy.read(Fixtures.file("cyclegan/tiny_real_B.npy"));
        Path small = dir.resolve("b1.npy");
        Npy.write(small, new Tensor(new long[] {1, 3, 32, 32}, Arrays.copyOf(b.data(), 3 * 32 * 32)));
        Path out = dir.resolve("bad");
        CliRun r = grads(small.toString(), out);
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("b1.npy: expected shape [2, 3, 32, 32]"), r.err());
        assertFalse(Files.exists(out));
        // a generator given where a discriminator belongs is named
        r = CliRun.of("cyclegan", "grads", "--g-a", fx("latest_net_G_A.pth"), "--g-b", fx("latest_net_G_B.pth"),
                "--d-a", fx("latest_net_G_A.pth"), "--d-b", fx("latest_net_D_B.pth"), "--a", fx("tiny_real_A.npy"),
                "--b", fx("tiny_real_B.npy"), "--out", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(fx("latest_net_G_A.pth") + ": D_A"), r.err());
    }
}
