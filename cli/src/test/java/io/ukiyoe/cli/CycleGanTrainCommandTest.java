package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.cyclegan.PatchDiscriminatorFamily;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ukiyoe cyclegan train}: run folder, checkpoints, sample grids, model files; a run killed like
 * {@code kill -9} half-way through writing a checkpoint resumes with {@code --resume} and ends exactly as
 * the uninterrupted run; a diverging run stops with a one-line error.
 */
class CycleGanTrainCommandTest {
    static final List<String> NETS = List.of("G_A", "G_B", "D_A", "D_B");
    @TempDir
    static Path dir;
    static Path cfg;
    static Path full;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        Path a = dir.resolve("photo");
        Path b = dir.resolve("ukiyoe");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "6", "--size", "20", "--out", a.toString()).exit());
        assertEquals(0, CliRun.of("data", "synth", "--domain", "ukiyoe", "--n", "5", "--size", "20", "--seed", "2", "--out",
                b.toString()).exit());
        cfg = dir.resolve("cyclegan.yaml");
        // 3 epochs of 1 step (the lr decays from the second), batch 2 cropped from 20 to 16 px, a pool of 2
        // that the first step fills and the next ones draw from: a resumed run must restore crops, pools,
        // moments and the decay. Small nets: each graph op costs the same whatever its size
        Files.writeString(cfg, "kind: cyclegan\nseed: 3\nmodel: {ngf: 2, n_blocks: 0, ndf: 2, n_layers: 1}\n"
                + "data: {a: " + a + ", b: " + b + ", load_size: 20, crop_size: 16}\n"
                + "training: {batch: 2, n_epochs: 1, n_epochs_decay: 2, epoch_steps: 1, pool_size: 2}\n"
                + "snapshots: {every_steps: 1, keep: 2, samples: 2}\n");
        full = dir.resolve("full");
        CliRun r = CliRun.of("cyclegan", "train", cfg.toString(), "--run-dir", full.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> names = RunFiles.names(full);
        assertTrue(names.containsAll(List.of("checkpoint-00000002.safetensors", "checkpoint-00000003.safetensors",
                "samples00000001.png", "samples00000003.png", "G_A.safetensors", "D_B.safetensors", "metrics.jsonl",
                "config.yaml", "provenance.json")) && !names.contains("checkpoint-00000001.safetensors"), names.toString());
        assertEquals(3, Files.readAllLines(full.resolve("metrics.jsonl")).size());
        assertEquals(PatchDiscriminatorFamily.FORMAT, NetworkFile.formatOf(full.resolve("D_A.safetensors")));
        // the generators are pix2pixHD-format files: 'ukiyoe translate' takes them as they are
        assertEquals(Pix2PixHDFiles.FORMAT, NetworkFile.formatOf(full.resolve("G_A.safetensors")));
        Path translated = dir.resolve("translated");
        CliRun t = CliRun.of("translate", "--model", full.resolve("G_A.safetensors").toString(), "--images", a.toString(),
                "--out", translated.toString());
        assertEquals(0, t.exit(), t.err());
        assertEquals(6, RunFiles.names(translated).stream().filter(n -> n.endsWith(".png")).count(), RunFiles.names(translated).toString());
    }

    @Test
    void killedWhileWritingACheckpointResumesExactly() throws Exception {
        Path run = dir.resolve("halted");
        Process p = ChildJvm.startHaltingInCheckpoint(dir.resolve("halted.log"), 2, "cyclegan",
                "train", cfg.toString(), "--run-dir", run.toString());
        assertTrue(p.waitFor(8, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), Files.readString(dir.resolve("halted.log")));
        List<String> names = RunFiles.names(run);
        assertTrue(names.stream().anyMatch(n -> n.startsWith(".checkpoint-00000002") && n.endsWith(".tmp")), names.toString());
        assertFalse(names.contains("checkpoint-00000002.safetensors") || names.contains("G_A.safetensors"), names.toString());

        CliRun r = CliRun.of("cyclegan", "train", "--resume", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("from checkpoint-00000001.safetensors (step 1)"), r.err());
        double diff = RunFiles.maxDiff(full, run, NETS.stream().map(n -> n + ".safetensors").toList());
        System.out.println("cyclegan: kill -9 during a checkpoint write, resumed: max |weight difference| = " + diff);
        assertEquals(0.0, diff, "the resumed run ends as the uninterrupted one");
        assertEquals(3, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "each step logged once");
    }

    @Test
    void resumeRefusesChangesAndADivergingRunStops() throws Exception {
        CliRun r = CliRun.of("cyclegan", "train", "--resume", full.toString(), "--set", "training.learning_rate=0.1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot change 'training.learning_rate' when resuming"), r.err());
        Path run = dir.resolve("diverged");
        r = CliRun.of("cyclegan", "train", cfg.toString(), "--run-dir", run.toString(), "--set", "training.learning_rate=1e30");
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> !l.startsWith("cyclegan ")).count(), r.err());
        assertTrue(r.err().contains("training diverged at step"), r.err());
        assertFalse(Files.exists(run.resolve("G_A.safetensors")));
        CliRun bad = CliRun.of("cyclegan", "train", cfg.toString(), "--set", "data.crop_size=18");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("crop_size"), bad.err());
    }
}
