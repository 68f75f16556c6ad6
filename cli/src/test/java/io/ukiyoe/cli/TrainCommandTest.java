package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunWritesMetricsGridsAndAModel() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "16", "--size", "16", "--out",
                faces.toString()).exit());
        Path cfg = dir.resolve("train.yaml");
        Files.writeString(cfg, "kind: train\nseed: 3\nmodel: {resolution: 16, z_dim: 16, w_dim: 16, n_mlp: 2, "
                + "channel_base: 256, channel_max: 16}\ndata: {path: " + faces + "}\n"
                + "training: {kimg: 0.012, batch: 4, r1_interval: 2}\nfreeze: {generator_up_to: 4}\n"
                + "snapshots: {every_kimg: 0.008, seeds: 0-3}\n");
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("train", cfg.toString(), "--run-dir", run.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, metrics.size());
        assertTrue(metrics.get(0).contains("\"loss_D\""), metrics.get(0));
        assertTrue(Files.exists(run.resolve("fakes000008.png")));
        assertTrue(Files.exists(run.resolve("fakes000012.png")));
        StyleGanModel m = StyleGanModel.read(run.resolve("model.safetensors"));
        assertEquals(16, m.config().resolution());
        assertTrue(m.hasDiscriminator());
        CliRun pl = CliRun.of("train", cfg.toString(), "--set", "training.pl_weight=2", "--run-dir",
                dir.resolve("run2").toString());
        assertEquals(2, pl.exit());
        assertTrue(pl.err().contains("training.pl_weight: path-length regularisation is not in the training loop yet"),
                pl.err());
        assertTrue(!Files.exists(dir.resolve("run2")), "nothing is written for an invalid config");
    }
}
