package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GradsCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesLossesAndCanonicalGradientFilesMatchingTheFixtures() throws Exception {
        Tensor z = Npy.read(Fixtures.file("rosinality_tiny_z.npy"));
        Path z4 = dir.resolve("z4.npy");
        Npy.write(z4, new Tensor(new long[] {4, 64}, Arrays.copyOf(z.data(), 4 * 64)));
        Path out = dir.resolve("grads");
        CliRun r = CliRun.of("grads", "--model", Fixtures.file("rosinality_tiny.pt").toString(), "--z", z4.toString(),
                "--real", Fixtures.file("rosinality_tiny_train_real.npy").toString(), "--pl-noise",
                Fixtures.file("rosinality_tiny_train_pl_noise.npy").toString(), "--pl-mean", "0.5", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().lines().count(), "SameDiff's prints stay off stdout: " + r.out());
        assertTrue(r.err().contains("grads [") && r.err().contains("3/3"), "the stage bar ends full: " + r.err());
        JsonNode losses = JsonMapper.builder().build().readTree(Files.readString(out.resolve("losses.json")));
        JsonNode ref = Fixtures.json("rosinality_tiny_train.json").get("scalars");
        assertEquals(ref.get("loss_D").asDouble(), losses.get("loss_D").asDouble(), 1e-4);
        assertEquals(ref.get("path_lengths").get(2).asDouble(), losses.get("path_lengths").get(2).asDouble(), 1e-3);
        Map<String, Tensor> mine = Npy.readNpz(out.resolve("grads_R1.npz"));
        Map<String, Tensor> g = Npy.readNpz(Fixtures.file("rosinality_tiny_train_grads_G.npz"));
        Map<String, Tensor> refR1 = Importer.rosinalityToCanonical(g, Npy.readNpz(Fixtures.file("rosinality_tiny_train_grads_R1.npz")));
        refR1.forEach((k, t) -> {
            if (!k.startsWith("disc/")) {
                return;
            }
            double max = 0;
            double diff = 0;
            for (int i = 0; i < t.data().length; i++) {
                max = Math.max(max, Math.abs(t.data()[i]));
                diff = Math.max(diff, Math.abs(t.data()[i] - mine.get(k).data()[i]));
            }
            assertTrue(diff <= 1e-2 * max || max == 0 && diff == 0, k + " " + diff + " vs " + max);
        });
        assertEquals(56, Npy.readNpz(out.resolve("grads_PL.npz")).size());
        assertEquals(23, Npy.readNpz(out.resolve("grads_D.npz")).size());
    }
}
