package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ukiyoe distill train}: run folder, checkpoints, sample grids, student file; a run killed like
 * {@code kill -9} half-way through writing a checkpoint resumes with {@code --resume} and ends exactly as
 * the uninterrupted run; bad input is a one-line error naming the file.
 */
class DistillTrainCommandTest {
    @TempDir
    static Path dir;
    static Path cfg;
    static Path full;
    static Path pairs;

    /** Random pairs in pix2pixHD's layout (B a colour inversion of A). */
    static Path writePairs(Path out, int n, int size) throws Exception {
        Random r = new Random(4);
        for (String side : List.of("train_A", "train_B")) {
            Files.createDirectories(out.resolve(side));
        }
        for (int i = 0; i < n; i++) {
            BufferedImage a = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            BufferedImage b = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int v = r.nextInt(1 << 24);
                    a.setRGB(x, y, v);
                    b.setRGB(x, y, ~v & 0xffffff);
                }
            }
            Images.writePng(out.resolve("train_A").resolve("p" + i + ".png"), a);
            Images.writePng(out.resolve("train_B").resolve("p" + i + ".png"), b);
        }
        return out;
    }

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        pairs = writePairs(dir.resolve("pairs"), 6, 8);
        cfg = dir.resolve("distill.yaml");
        // 3 epochs of 1 step (the lr decays in the last), batch 2 of 5 training pairs, default augmentation:
        // a resumed run must restore weights, both Adam states, the random stream and the loader position
        Files.writeString(cfg, "kind: distill\nseed: 3\nmodel: {ngf: 2, n_downsampling: 1, n_blocks: 0, ndf: 2, n_layers: 1}\n"
                + "data: {pairs: " + pairs + ", held_out: 1}\n"
                + "training: {batch: 2, niter: 2, niter_decay: 1, epoch_steps: 1}\n"
                + "snapshots: {every_steps: 1, keep: 2}\n");
        full = dir.resolve("full");
        CliRun r = CliRun.of("distill", "train", cfg.toString(), "--run-dir", full.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> names = RunFiles.names(full);
        assertTrue(names.containsAll(List.of("checkpoint-00000002.safetensors", "checkpoint-00000003.safetensors",
                "samples00000001.png", "samples00000003.png", "student.safetensors", "discriminator.safetensors",
                "metrics.jsonl", "config.yaml", "provenance.json")) && !names.contains("checkpoint-00000001.safetensors"),
                names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("events.out.tfevents.")), names.toString());
        assertEquals(Pix2PixHDFiles.FORMAT, NetworkFile.formatOf(full.resolve("student.safetensors")));
        Path translated = dir.resolve("translated");
        CliRun t = CliRun.of("translate", "--model", full.resolve("student.safetensors").toString(), "--images",
                pairs.resolve("train_A").toString(), "--out", translated.toString());
        assertEquals(0, t.exit(), t.err());
        assertEquals(6, RunFiles.names(translated).stream().filter(n -> n.endsWith(".png")).count(), RunFiles.names(translated).toString());
    }

    @Test
    void killedWhileWritingACheckpointResumesExactly() throws Exception {
        Path run = dir.resolve("halted");
        Process p = ChildJvm.startHaltingInCheckpoint(dir.resolve("halted.log"), 2, "distill",
                "train", cfg.toString(), "--run-dir", run.toString());
        assertTrue(p.waitFor(8, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), Files.readString(dir.resolve("halted.log")));
        List<String> names = RunFiles.names(run);
        assertTrue(names.stream().anyMatch(n -> n.startsWith(".checkpoint-00000002") && n.endsWith(".tmp")), names.toString());
        assertFalse(names.contains("checkpoint-00000002.safetensors") || names.contains("student.safetensors"), names.toString());

        CliRun r = CliRun.of("distill", "train", "--resume", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("from checkpoint-00000001.safetensors (step 1)"), r.err());
        double diff = RunFiles.maxDiff(full, run, List.of("student.safetensors", "discriminator.safetensors"));
        System.out.println("distill: kill -9 during a checkpoint write, resumed: max |weight difference| = " + diff);
        assertEquals(0.0, diff, "the resumed run ends as the uninterrupted one");
        assertEquals(Files.readAllLines(full.resolve("metrics.jsonl")).size(), Files.readAllLines(run.resolve("metrics.jsonl")).size(),
                "each step and snapshot logged once");
    }

    /**
     * snapshots.metrics: [fid, kid] logs the student's FID and KID against the held-out B images at each
     * snapshot (fixture Inception weights: random, so only the arithmetic is checked); the FID equals
     * {@code eval fid} of the finished student's translations of the held-out A against those B files.
     */
    @Test
    void studentFidAgainstTheHeldOutTargets() throws Exception {
        Path inception = io.ukiyoe.graphs.Fixtures.file("fid/pt_inception-random-seeded.pth");
        Path run = dir.resolve("fid");
        CliRun r = CliRun.of("distill", "train", cfg.toString(), "--run-dir", run.toString(), "--set", "data.held_out=2",
                "--set", "training.niter=1", "--set", "training.niter_decay=0", "--set", "snapshots.metrics=[fid, kid]",
                "--set", "metrics.inception=" + inception, "--set", "metrics.batch=2");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        String last = lines.get(lines.size() - 1);
        var m = java.util.regex.Pattern.compile("\"fid\":([0-9.]+),\"kid_x1e3\":(-?[0-9.]+)").matcher(last);
        assertTrue(last.contains("heldout_l1") && m.find(), last);
        double fid = Double.parseDouble(m.group(1));

        Path heldA = Files.createDirectories(dir.resolve("heldA"));
        Path heldB = Files.createDirectories(dir.resolve("heldB"));
        for (String name : List.of("p4.png", "p5.png")) {   // the last two by name
            Files.copy(pairs.resolve("train_A").resolve(name), heldA.resolve(name));
            Files.copy(pairs.resolve("train_B").resolve(name), heldB.resolve(name));
        }
        Path translated = dir.resolve("heldA-student");
        CliRun t = CliRun.of("translate", "--model", run.resolve("student.safetensors").toString(), "--images",
                heldA.toString(), "--out", translated.toString());
        assertEquals(0, t.exit(), t.err());
        CliRun e = CliRun.of("eval", "fid", "--a", translated.toString(), "--b", heldB.toString(), "--inception",
                inception.toString(), "--n", "2", "--batch", "2", "--cache", dir.resolve("fid-cache").toString());
        assertEquals(0, e.exit(), e.err());
        String[] out = e.out().strip().split("\n");
        double expected = Double.parseDouble(out[out.length - 1].replace("FID: ", ""));
        assertTrue(expected > 0, e.out());
        assertEquals(expected, fid, 1e-6 * expected + 1e-6, last);

        CliRun noWeights = CliRun.of("distill", "train", cfg.toString(), "--set", "data.held_out=2", "--set",
                "snapshots.metrics=[fid]");
        assertEquals(2, noWeights.exit(), noWeights.err());
        assertTrue(noWeights.err().contains("metrics.inception") && noWeights.err().contains("pt_inception"), noWeights.err());
        assertEquals(1, noWeights.err().strip().lines().count(), noWeights.err());
    }

    @Test
    void badInputIsAOneLineErrorNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.safetensors");
        CliRun r = CliRun.of("distill", "train", cfg.toString(), "--set", "init_from=" + missing);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path sg = dir.resolve("stylegan2.safetensors");
        io.ukiyoe.graphs.model.Init.random(io.ukiyoe.graphs.model.StyleGanConfig.of(8, 8, 8, 1,
                io.ukiyoe.graphs.model.StyleGanConfig.adaChannels(8, 16, 8)), 1, true).write(sg);
        r = CliRun.of("distill", "train", cfg.toString(), "--set", "init_from=" + sg);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(sg + ": not a ukiyoe.pix2pixhd model file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path noB = dir.resolve("noB");
        Files.createDirectories(noB.resolve("train_A"));
        r = CliRun.of("distill", "train", cfg.toString(), "--set", "data.pairs=" + noB);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(noB + ": no train_B/ folder"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = CliRun.of("distill", "train", "--resume", full.toString(), "--set", "training.learning_rate=0.1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot change 'training.learning_rate' when resuming"), r.err());
    }
}
