package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snapshots.metrics: [fid, kid] puts both into metrics.jsonl at each snapshot; without weights, a one-line error. */
class TrainSnapshotMetricsTest {
    @TempDir
    Path dir;

    @Test
    void fidAndKidAtSnapshots() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "8", "--size", "16", "--out",
                faces.toString()).exit());
        Path cfg = dir.resolve("train.yaml");
        Files.writeString(cfg, "kind: train\nseed: 3\nmodel: {resolution: 16, z_dim: 16, w_dim: 16, n_mlp: 2, "
                + "channel_base: 256, channel_max: 16}\ndata: {path: " + faces + "}\n"
                + "training: {kimg: 0.008, batch: 4}\n"
                + "snapshots: {every_kimg: 0.008, seeds: 0-3, metrics: [fid, kid]}\n"
                + "metrics: {inception: " + Fixtures.file("fid/pt_inception-random-seeded.pth") + ", n: 4, batch: 4, "
                + "kid_subsets: 3, kid_subset_size: 4, cache: " + dir.resolve("cache") + "}\n");
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("train", cfg.toString(), "--run-dir", run.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("\\{\"step\":2,\"kimg\":0\\.0080,\"fid\":[0-9.e+]+,\"kid_x1e3\":-?[0-9.e+-]+}"), last);

        CliRun noWeights = CliRun.of("train", cfg.toString(), "--set", "metrics.inception=null", "--run-dir",
                dir.resolve("run2").toString());
        assertTrue(noWeights.exit() != 0);
        assertTrue(noWeights.err().contains("pt_inception-2015-12-05-6726825d.pth"), noWeights.err());
    }
}
