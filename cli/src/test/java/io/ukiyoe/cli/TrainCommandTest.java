package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.charts.Chart;
import io.ukiyoe.data.charts.TrainingCurves;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

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
        CliRun bad = CliRun.of("train", cfg.toString(), "--set", "training.batch=6", "--run-dir",
                dir.resolve("run2").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("training.batch: got 6, but the discriminator's minibatch-stddev group is 4: "
                + "batches that work are 1..4 or multiples of 4 (4 or 8 here)"), bad.err());
        assertTrue(!Files.exists(dir.resolve("run2")), "nothing is written for an invalid config");
        // path length and ADA from the config: both show up in the metrics
        Path run3 = dir.resolve("run3");
        CliRun plAda = CliRun.of("train", cfg.toString(), "--set", "training.pl_weight=2", "--set",
                "training.pl_interval=2", "--set", "training.augment={mode: ada, p: 0.2, ada_kimg: 1}", "--run-dir",
                run3.toString());
        assertEquals(0, plAda.exit(), plAda.err());
        List<String> m3 = Files.readAllLines(run3.resolve("metrics.jsonl"));
        assertTrue(m3.get(0).contains("\"path_length\":") && !m3.get(0).contains("\"path_length\":null"), m3.get(0));
        assertTrue(m3.get(1).contains("\"path_length\":null"), m3.get(1));
        assertTrue(m3.get(0).contains("\"ada_p\":0.2000"), m3.get(0));
        // curves.png, redrawn at each snapshot from metrics.jsonl: losses, R1, path length and ADA p as logged
        assertTrue(Files.exists(run3.resolve(TrainingCurves.FILE)));
        assertTrue(javax.imageio.ImageIO.read(run3.resolve(TrainingCurves.FILE).toFile()).getWidth() > 0);
        Chart curves = TrainingCurves.of(run3.resolve("metrics.jsonl"), "run3");
        double[] lossD = curves.panel("losses").series().stream().filter(s -> s.name().equals("loss_D")).findFirst()
                .orElseThrow().y();
        assertEquals(m3.size(), lossD.length);
        for (int i = 0; i < m3.size(); i++) {
            double logged = JsonMapper.builder().build().readTree(m3.get(i)).get("loss_D").asDouble();
            assertEquals(logged, lossD[i], 0.0, "loss_D at line " + i);
        }
        assertEquals(0.2, curves.panel("ada_p").series().get(0).y()[0], 1e-4);
        assertTrue(Double.isNaN(curves.panel("path_length").series().get(0).y()[1]), "a null is a gap, not a zero");
        assertEquals(List.of("losses", "r1", "path_length", "ada_p"),
                curves.panels().stream().map(Chart.Panel::title).toList());
    }

    @Test
    void aFailedRunLeavesNoFolderOrAResumableOneWithTheError() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "8", "--size", "16", "--out",
                faces.toString()).exit());
        Path cfg = dir.resolve("train.yaml");
        // a learning rate this large makes the losses non-finite on the first step
        Files.writeString(cfg, "kind: train\nseed: 3\nmodel: {resolution: 16, z_dim: 16, w_dim: 16, n_mlp: 2, "
                + "channel_base: 128, channel_max: 8}\ndata: {path: " + faces + "}\n"
                + "training: {kimg: 0.016, batch: 4, learning_rate: 1.0e+15, r1_gamma: 0}\n"
                + "snapshots: {every_kimg: 0.012, seeds: 0-1}\n");
        Path early = dir.resolve("early");
        CliRun r = CliRun.of("train", cfg.toString(), "--run-dir", early.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("not finite") || r.err().contains("loss_D"), r.err());
        assertTrue(!Files.exists(early), "a run that failed before its first checkpoint leaves no folder");
        assertEquals(0, CliRun.of("train", cfg.toString(), "--run-dir", early.toString(), "--set", "training.learning_rate=0.002",
                "--set", "training.kimg=0.004", "--set", "snapshots.every_kimg=0.004").exit(), "the same --run-dir works for a retry");
        assertEquals("finished", io.ukiyoe.core.run.RunFolder.statusOf(early));

        // a failure after a checkpoint (the disk refuses the next one): the folder stays, with the error
        Files.createDirectories(early.resolve(io.ukiyoe.training.Checkpoint.fileName(2)));
        CliRun r2 = CliRun.of("train", "--resume", early.toString(), "--set", "training.kimg=0.008");
        assertEquals(1, r2.exit(), r2.err());
        assertTrue(r2.err().contains("cannot write " + early.resolve(io.ukiyoe.training.Checkpoint.fileName(2))), r2.err());
        assertEquals("failed", io.ukiyoe.core.run.RunFolder.statusOf(early));
        String log = Files.readString(early.resolve("log.txt"));
        assertTrue(log.contains("failed: cannot write"), log);
        CliRun again = CliRun.of("train", cfg.toString(), "--run-dir", early.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("choose another --run-dir, or continue it with --resume " + early), again.err());
    }

    /**
     * A fine-tuned model's own minibatch-stddev group decides which batches work, and a bad batch
     * fails before the run folder exists.
     */
    @Test
    void fineTuningChecksTheBatchAgainstTheModelsOwnGroup() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "8", "--size", "16", "--out",
                faces.toString()).exit());
        var base = io.ukiyoe.graphs.model.Init.random(io.ukiyoe.graphs.model.StyleGanConfig.of(16, 16, 16, 2,
                java.util.Map.of(4, 16, 8, 16, 16, 16)), 5, true);
        var c = base.config();
        var group3 = new io.ukiyoe.graphs.model.StyleGanConfig(c.resolution(), c.zDim(), c.wDim(), c.nMlp(), c.channels(),
                c.mappingLrMul(), c.convClamp(), 3, c.mbstdChannels());
        Path model = dir.resolve("group3.safetensors");
        new StyleGanModel(group3, base.tensors(), base.metadata()).write(model);
        Path cfg = dir.resolve("tune.yaml");
        Files.writeString(cfg, "kind: train\nseed: 3\nresume_from: " + model + "\ndata: {path: " + faces + "}\n"
                + "training: {kimg: 0.006, batch: 4, pl_weight: 0}\nsnapshots: {every_kimg: 0.006, seeds: 0-1}\n");
        CliRun bad = CliRun.of("train", cfg.toString(), "--run-dir", dir.resolve("bad").toString());
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("minibatch-stddev group is 3: batches that work are 1..3 or multiples of 3 "
                + "(3 or 6 here)"), bad.err());
        assertTrue(!Files.exists(dir.resolve("bad")), "no run folder for a batch the model cannot take");
        CliRun ok = CliRun.of("train", cfg.toString(), "--set", "training.batch=6", "--run-dir",
                dir.resolve("ok").toString());
        assertEquals(0, ok.exit(), ok.err());
    }
}
