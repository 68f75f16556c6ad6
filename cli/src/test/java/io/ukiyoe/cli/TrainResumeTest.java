package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and exact resume: a run killed like {@code kill -9} (in the middle of writing a checkpoint,
 * and at a moment the test does not choose) resumes with {@code --resume} and ends as the uninterrupted
 * run with the same seed does.
 */
class TrainResumeTest {
    @TempDir
    static Path dir;
    static Path cfg;
    static StyleGanModel uninterrupted;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, CliRun.of("data", "synth", "--domain", "photo", "--n", "12", "--size", "16", "--out",
                faces.toString()).exit());
        cfg = dir.resolve("train.yaml");
        // 10 steps of batch 4, a checkpoint every 2 steps, R1 every 3 steps (so a resumed run must count
        // lazy steps from the saved step, not from zero), EMA, mixing and random noise all in play
        Files.writeString(cfg, "kind: train\nseed: 5\nmodel: {resolution: 8, z_dim: 8, w_dim: 8, n_mlp: 1, "
                + "channel_base: 64, channel_max: 8}\ndata: {path: " + faces + "}\n"
                + "training: {kimg: 0.04, batch: 4, r1_gamma: 1, r1_interval: 3, ema_kimg: 0.01}\n"
                + "snapshots: {every_kimg: 0.008, keep: 2, seeds: 0-3}\n");
        Path run = dir.resolve("full");
        CliRun r = CliRun.of("train", cfg.toString(), "--run-dir", run.toString());
        assertEquals(0, r.exit(), r.err());
        uninterrupted = StyleGanModel.read(run.resolve("model.safetensors"));
        try (Stream<Path> s = Files.list(run)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("checkpoint-00000008.safetensors") && names.contains("checkpoint-00000010.safetensors")
                    && !names.contains("checkpoint-00000006.safetensors"), "the newest 2 are kept: " + names);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("events.out.tfevents.")), names.toString());
        }
    }

    /** Starts `ukiyoe train` in another JVM (so it can be killed for real). */
    private static Process start(Path run) throws Exception {
        return ChildJvm.start(dir.resolve(run.getFileName() + ".log"), "train", cfg.toString(), "--run-dir", run.toString());
    }

    private static double maxDiff(StyleGanModel a, StyleGanModel b) {
        double max = 0;
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            float[] x = e.getValue().data();
            float[] y = b.tensor(e.getKey()).data();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    @Test
    void killedWhileWritingACheckpointResumesFromTheLastCompleteOne() throws Exception {
        Path run = dir.resolve("halted");
        Process p = ChildJvm.startHaltingInCheckpoint(dir.resolve("halted.log"), 3, "train", cfg.toString(), "--run-dir",
                run.toString()); // dies half-way through checkpoint-00000006
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), Files.readString(dir.resolve("halted.log")));
        List<String> names;
        try (Stream<Path> s = Files.list(run)) {
            names = s.map(x -> x.getFileName().toString()).sorted().toList();
        }
        assertTrue(names.stream().anyMatch(n -> n.startsWith(".checkpoint-00000006") && n.endsWith(".tmp")),
                "the half-written checkpoint is left as a temporary file: " + names);
        assertFalse(names.contains("checkpoint-00000006.safetensors"), names.toString());
        assertFalse(names.contains("model.safetensors"));

        CliRun r = CliRun.of("train", "--resume", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("from checkpoint-00000004.safetensors (step 4 of 10)"), r.err());
        StyleGanModel resumed = StyleGanModel.read(run.resolve("model.safetensors"));
        double diff = maxDiff(uninterrupted, resumed);
        System.out.println("kill -9 during a checkpoint write, resumed: max |weight difference| = " + diff);
        assertTrue(diff <= 1e-6, "resumed run differs from the uninterrupted one by " + diff);
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(10, metrics.size(), "steps after the checkpoint are logged once: " + metrics);
        List<Long> events = io.ukiyoe.training.TensorBoardEvents.steps(run);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 10).boxed().toList(),
                events.stream().sorted().toList(), "TensorBoard holds each step once: " + events);
    }

    @Test
    void killedAtAnUnchosenMomentResumes() throws Exception {
        Path run = dir.resolve("killed");
        Process p = start(run);
        Path first = run.resolve("checkpoint-00000002.safetensors");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.exists(first) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed");
        p.destroyForcibly(); // SIGKILL
        p.waitFor(1, TimeUnit.MINUTES);
        CliRun r = CliRun.of("train", "--resume", run.toString());
        assertEquals(0, r.exit(), r.err());
        double diff = maxDiff(uninterrupted, StyleGanModel.read(run.resolve("model.safetensors")));
        System.out.println("kill -9 at an unchosen moment, resumed: max |weight difference| = " + diff);
        assertTrue(diff <= 1e-6, "resumed run differs from the uninterrupted one by " + diff);
    }

    @Test
    void resumeRefusesSettingsThatWouldChangeTheRun() throws Exception {
        CliRun r = CliRun.of("train", "--resume", dir.resolve("full").toString(), "--set", "training.learning_rate=0.1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot change 'training.learning_rate' when resuming"), r.err());
        CliRun none = CliRun.of("train", "--resume", dir.resolve("nowhere").toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("no such run folder"), none.err());
    }

    @Test
    void extendingAFinishedRunContinuesIt() throws Exception {
        Path run = dir.resolve("extended");
        copy(dir.resolve("full"), run);
        CliRun r = CliRun.of("train", "--resume", run.toString(), "--set", "training.kimg=0.048");
        assertEquals(0, r.exit(), r.err());
        assertEquals(12, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("kimg: 0.048"));
        assertTrue(Files.exists(run.resolve("checkpoint-00000012.safetensors")));
    }

    @Test
    void divergenceStopsWithTheLastGoodCheckpointNamed() throws Exception {
        Path run = dir.resolve("diverged");
        CliRun r = CliRun.of("train", cfg.toString(), "--set", "training.learning_rate=1e30", "--set",
                "training.kimg=0.4", "--run-dir", run.toString());
        assertTrue(r.exit() != 0);
        String err = r.err().strip();
        assertTrue(err.contains("training diverged at step"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertFalse(Files.exists(run.resolve("model.safetensors")));
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
