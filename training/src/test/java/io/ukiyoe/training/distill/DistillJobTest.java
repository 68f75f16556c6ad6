package io.ukiyoe.training.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigKinds;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distill train} as a library call: the student learns a mapping from a tiny synthetic pair set. */
class DistillJobTest {
    @TempDir
    Path dir;

    /**
     * {@code n} pairs of {@code size} px in pix2pixHD's layout: A is a smooth random colour texture (per
     * channel a sum of random plane waves filling [0, 255]), B the same picture with its channels rotated
     * and inverted (B_c = 255 - A_{c+1}): a per-pixel mapping the student must learn, far from the identity.
     * Every image spans the full range, so instance norm (which drops each image's mean and scale) keeps
     * what the mapping needs.
     */
    static Path writePairs(Path dir, int n, int size, long seed) throws Exception {
        Random r = new Random(seed);
        Files.createDirectories(dir.resolve("train_A"));
        Files.createDirectories(dir.resolve("train_B"));
        for (int i = 0; i < n; i++) {
            int[][] ch = new int[3][size * size];
            for (int c = 0; c < 3; c++) {
                double[] fx = new double[3], fy = new double[3], ph = new double[3];
                for (int k = 0; k < 3; k++) {
                    fx[k] = (r.nextDouble() * 2 - 1) * 0.6;
                    fy[k] = (r.nextDouble() * 2 - 1) * 0.6;
                    ph[k] = r.nextDouble() * 2 * Math.PI;
                }
                for (int p = 0; p < size * size; p++) {
                    double v = 0;
                    for (int k = 0; k < 3; k++) {
                        v += Math.sin(fx[k] * (p % size) + fy[k] * (p / size) + ph[k]);
                    }
                    ch[c][p] = (int) Math.round(127.5 + 127.5 * Math.max(-1, Math.min(1, v / 2)));
                }
            }
            BufferedImage a = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            BufferedImage b = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < size * size; p++) {
                a.setRGB(p % size, p / size, (ch[0][p] << 16) | (ch[1][p] << 8) | ch[2][p]);
                b.setRGB(p % size, p / size, ((255 - ch[1][p]) << 16) | ((255 - ch[2][p]) << 8) | (255 - ch[0][p]));
            }
            String name = String.format("%04d.png", i);
            Images.writePng(dir.resolve("train_A").resolve(name), a);
            Images.writePng(dir.resolve("train_B").resolve(name), b);
        }
        return dir;
    }

    static ExperimentConfig<DistillConfig> config(Path dir, String yaml) throws Exception {
        Path f = dir.resolve("distill.yaml");
        Files.writeString(f, yaml);
        return ExperimentConfig.load(f, List.of(), new ConfigKinds().register("distill", DistillConfig.class), "distill",
                DistillConfig.class);
    }

    static RunFolder run(Path dir) {
        return RunFolder.create(dir.resolve("runs"), "distill", null, dir.resolve("run"), LocalDateTime.now());
    }

    /** (heldout_l1, heldout_l1_input) of every snapshot line of a run's metrics.jsonl. */
    static List<double[]> heldOut(Path run) throws Exception {
        Pattern p = Pattern.compile("\"heldout_l1\":([0-9.]+),\"heldout_l1_input\":([0-9.]+)");
        List<double[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
            }
        }
        return out;
    }

    @Test
    void theStudentLearnsTheMappingOfATinyPairSet() throws Exception {
        Path pairs = writePairs(dir.resolve("pairs"), 20, 16, 5);
        // pix2pixHD's recipe (LSGAN + feature matching, no VGG, no L1) on 16 training pairs, 4 held out:
        // 10 epochs of 4 steps, the last two decaying
        var cfg = config(dir, "kind: distill\nseed: 3\nmodel: {ngf: 8, n_downsampling: 1, n_blocks: 0, ndf: 8, n_layers: 1}\n"
                + "data: {pairs: " + pairs + ", held_out: 4}\n"
                + "training: {batch: 4, niter: 8, niter_decay: 2, learning_rate: 0.002}\n"
                + "augment: {flip: false, zoom: 0, rotate_degrees: 0, translate: 0, brightness: 0, contrast: 0, saturation: 0, hue: 0}\n"
                + "snapshots: {every_steps: 10, keep: 1, tensorboard: true}\n");
        long t0 = System.nanoTime();
        try (RunFolder run = run(dir)) {
            DistillJob.run(cfg, run, total -> assertEquals(40, total), done -> { });
        }
        Path out = dir.resolve("run");
        List<double[]> h = heldOut(out);
        System.out.printf("distill: held-out mean |student(A) - B| per snapshot %s, mean |A - B| %.4f (%.1f s)%n",
                h.stream().map(x -> String.format("%.4f", x[0])).toList(), h.get(0)[1], (System.nanoTime() - t0) / 1e9);
        assertEquals(4, h.size());
        assertTrue(h.get(3)[0] < h.get(0)[0], "the held-out error falls");
        assertTrue(h.get(3)[0] <= 0.5 * h.get(3)[1], "ends at most half of mean |A - B|: " + h.get(3)[0] + " vs " + h.get(3)[1]);
        assertEquals(44, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "a line per step and per snapshot");
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList(),
                io.ukiyoe.training.TensorBoardEvents.steps(out).stream().distinct().toList(), "TensorBoard events of every step");
        assertTrue(Files.exists(out.resolve("samples00000040.png")) && Files.exists(out.resolve("checkpoint-00000040.safetensors")));
        // the student is a pix2pixHD generator file that 'ukiyoe translate' loads
        var student = io.ukiyoe.graphs.translate.Translators.load(out.resolve(DistillJob.STUDENT));
        assertEquals(3, student.outputChannels());
    }

    @Test
    void aLocalStudentStartsFromAGlobalOneAsItsGlobalPart() throws Exception {
        var global = io.ukiyoe.graphs.pix2pixhd.GeneratorConfig.global(
                io.ukiyoe.graphs.pix2pixhd.GlobalGeneratorConfig.of(3, 3, 4, 1, 1));
        Path f = dir.resolve("global.safetensors");
        var tensors = io.ukiyoe.graphs.cyclegan.NormalInit.init(global.expectedShapes(), 9);
        new io.ukiyoe.graphs.model.NetworkFile(io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles.FORMAT,
                io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles.FORMAT_VERSION, io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles.configJson(global),
                tensors, new java.util.LinkedHashMap<>()).write(f);
        var cfg = config(dir, "kind: distill\ninit_from: " + f + "\nmodel: {netG: local, n_blocks_local: 1}\n"
                + "data: {pairs: " + dir + "}\ntraining: {niter_fix_global: 2}\n");
        var g = DistillJob.startingGenerator(cfg.value());
        assertEquals(new io.ukiyoe.graphs.pix2pixhd.GeneratorConfig(3, 3, 2, 1, 1, 1, 1), g.config());
        g.config().globalPart().expectedShapes("model/").keySet().forEach(k ->
                assertTrue(java.util.Arrays.equals(tensors.get(k).data(), g.tensors().get(k).data()), k));
        UserError e = assertThrows(UserError.class, () -> DistillJob.validate(config(dir, "kind: distill\n"
                + "data: {pairs: " + dir + "}\ntraining: {niter_fix_global: 2}\n")));
        assertTrue(e.getMessage().contains("niter_fix_global"), e.getMessage());
    }

    @Test
    void badInputsAreOneLineErrorsNamingTheFile() throws Exception {
        Path pairs = writePairs(dir.resolve("pairs"), 3, 8, 1);
        String base = "kind: distill\nmodel: {ngf: 2, n_downsampling: 1, n_blocks: 0, ndf: 2, n_layers: 1}\n"
                + "data: {pairs: " + pairs + ", held_out: 1}\n";
        Path missing = dir.resolve("nope.safetensors");
        UserError e = assertThrows(UserError.class, () -> DistillJob.validate(config(dir, base + "init_from: " + missing + "\n")));
        assertTrue(e.getMessage().contains(missing + ": no such file") && e.getMessage().contains("init_from"), e.getMessage());

        // a StyleGAN2 model file is not a student
        Path sg = dir.resolve("stylegan2.safetensors");
        io.ukiyoe.graphs.model.Init.random(io.ukiyoe.graphs.model.StyleGanConfig.of(8, 8, 8, 1,
                io.ukiyoe.graphs.model.StyleGanConfig.adaChannels(8, 16, 8)), 1, true).write(sg);
        var cfg = config(dir, base + "init_from: " + sg + "\n");
        e = assertThrows(UserError.class, () -> DistillJob.startingGenerator(cfg.value()));
        assertTrue(e.getMessage().startsWith(sg + ": ") && !e.getMessage().contains("\n"), e.getMessage());
        System.out.println("distill: StyleGAN2 file as init_from -> " + e.getMessage());

        Files.walk(pairs.resolve("train_B")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        e = assertThrows(UserError.class, () -> DistillJob.validate(config(dir, base)));
        assertTrue(e.getMessage().contains(pairs + ": no train_B/ folder"), e.getMessage());
        e = assertThrows(UserError.class, () -> io.ukiyoe.data.PairDataset.open(pairs, 0, 1));
        assertTrue(e.getMessage().startsWith(pairs + ": no train_B/ folder"), e.getMessage());
    }
}
