package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.Images;
import io.ukiyoe.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ukiyoe demo}: the whole workflow on two tiny models shipped inside the tool (a base trained on
 * synthetic "photo" faces and a target fine-tuned from it on synthetic "ukiyo-e" faces; configs in
 * {@code configs/demo/}). Every step is an ordinary {@code ukiyoe} command, printed as it runs, so a
 * newcomer can copy it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole workflow on the shipped tiny models: grids, layer swap and sigmoid blends, "
                + "three videos and a small blend sweep, in a few minutes.")
final class DemoCommand implements Callable<Integer> {
    /** The shipped models (classpath resources) and what they are. */
    static final String BASE = "base-photo-32.safetensors";
    static final String TARGET = "target-ukiyoe-32.safetensors";
    static final String STUDENT = "student-32.safetensors";

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder, new or empty (default runs/demo-<time>).")
    Path out;

    @Option(names = "--quick", hidden = true, description = "Fewer frames and sweep candidates (the test suite's run).")
    boolean quick;

    @Spec
    CommandSpec spec;

    private PrintWriter log;
    private int step;
    private static final int STEPS = 10;

    @Override
    public Integer call() throws IOException {
        log = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Path dir = out != null ? out
                : Path.of("runs", "demo-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()));
        if (Files.exists(dir)) {
            try (var s = Files.list(dir)) {
                if (!Files.isDirectory(dir) || s.findAny().isPresent()) {
                    throw new UserError(dir + ": already exists and is not empty (choose another --out)", 2, null);
                }
            }
        }
        Files.createDirectories(dir);
        log.printf("ukiyoe demo -> %s%n", dir);
        log.println("Two tiny StyleGAN2s (32 px) ship with ukiyoe: a base trained on synthetic photo faces and a target");
        log.println("fine-tuned from it on synthetic ukiyo-e faces (configs/demo/). Each step below is a normal command.");

        say("unpack the shipped models");
        Path models = dir.resolve("models");
        Path base = extract(BASE, models.resolve(BASE));
        Path target = extract(TARGET, models.resolve(TARGET));
        List<String> files = new ArrayList<>(List.of(base.toString(), target.toString()));

        String seeds = quick ? "0-3" : "0-15";
        say("faces from the base model (photo)");
        Path baseGrid = dir.resolve("base-photo.png");
        run("generate", "--model", base.toString(), "--seeds", seeds, "--truncation", "0.7", "--out",
                dir.resolve("base-photo").toString(), "--grid", baseGrid.toString());
        files.add(baseGrid.toString());

        say("the same seeds from the fine-tuned target (ukiyo-e)");
        Path targetGrid = dir.resolve("target-ukiyoe.png");
        run("generate", "--model", target.toString(), "--seeds", seeds, "--truncation", "0.7", "--out",
                dir.resolve("target-ukiyoe").toString(), "--grid", targetGrid.toString());
        files.add(targetGrid.toString());

        say("layer swap: layers up to 8 px from the base (pose, face shape), 16-32 px from the target (style)");
        files.addAll(blend(dir, base, target, "swap8", "--schedule", "swap", "--resolution", "8"));

        say("smooth blend: sigmoid centred at 16 px (width 1)");
        files.addAll(blend(dir, base, target, "sigmoid16", "--schedule", "sigmoid", "--resolution", "16", "--width", "1"));

        String[] common = {"--seeds", quick ? "0-1" : "0-3", "--fps", "15"};
        say("video: walking through the base model's latent space");
        Path latent = dir.resolve("video-latent.mp4");
        run(concat(new String[] {"video", "latent", "--model", base.toString(), "--out", latent.toString(),
                "--frames-per-seed", quick ? "3" : "20"}, common));
        files.add(latent.toString());

        say("video: whole-model weight averaging, base -> target");
        Path weights = dir.resolve("video-weights.mp4");
        run(concat(new String[] {"video", "weights", "--base", base.toString(), "--target", target.toString(), "--out",
                weights.toString(), "--frames", quick ? "4" : "45"}, common));
        files.add(weights.toString());

        say("video: layer swapping, one resolution at a time");
        Path swap = dir.resolve("video-swap.mp4");
        run(concat(new String[] {"video", "swap", "--base", base.toString(), "--target", target.toString(), "--out",
                swap.toString(), "--frames-per-step", quick ? "2" : "12"}, common));
        files.add(swap.toString());

        say("sweep: which schedule keeps the base's structure and looks most like the target?");
        Path sweepCfg = dir.resolve("sweep.yaml");
        Path best = dir.resolve("best-blend.safetensors");
        AtomicFiles.writeString(sweepCfg, String.join("\n",
                "# Written by 'ukiyoe demo': a small search over blend schedules of the two demo models.",
                "kind: sweep",
                "name: demo",
                "base: " + base,
                "target: " + target,
                "style_data: null          # the target model's own images are the style reference",
                "space:",
                "  schedules: [swap, sigmoid, uniform]",
                "  resolutions: []         # every resolution of the model",
                "  width: {min: 0.5, max: 2.0}",
                "  levels: [0, 1]",
                "  alpha: {min: 0.0, max: 1.0}",
                "search: random",
                "candidates: " + (quick ? 2 : 8),
                "max_minutes: 5",
                "objective: {style: 1.0, structure: 0.25, pose: 0.1, min_correlation16: 0.8}",
                "seeds: " + (quick ? "0-7" : "0-31"),
                "style_images: " + (quick ? 16 : 128),
                "truncation: 0.7",
                "top_k: " + (quick ? 2 : 4),
                "out: " + best,
                ""));
        Path sweepDir = dir.resolve("sweep");
        run("sweep", sweepCfg.toString(), "--run-dir", sweepDir.toString());
        files.add(sweepCfg.toString());
        files.add(sweepDir.resolve("results.csv").toString());
        files.add(best.toString());
        try (var s = Files.list(sweepDir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().forEach(p -> files.add(p.toString()));
        }

        say("distilled student: synthetic photos to ukiyo-e in one pass (pix2pixHD, from 'distill pairs' + 'distill train')");
        Path student = extract(STUDENT, models.resolve(STUDENT));
        Path photos = dir.resolve("photos");
        run("data", "synth", "--domain", "photo", "--n", quick ? "4" : "8", "--size", "32", "--seed", "21", "--out",
                photos.toString());
        Path translated = dir.resolve("student");
        run("translate", "--model", student.toString(), "--images", photos.toString(), "--out", translated.toString());
        Path studentGrid = dir.resolve("student.png");
        Images.writePng(studentGrid, pairsGrid(photos, translated));
        files.add(student.toString());
        files.add(studentGrid.toString());

        log.printf("%ndone in %.0f s. Files:%n", (System.nanoTime() - t0) / 1e9);
        for (String f : files) {
            log.println("  " + f);
        }
        log.println("Next: the same steps on real models — see README.md (import FFHQ, train/fine-tune, blend, sweep).");
        log.flush();
        return 0;
    }

    private List<String> blend(Path dir, Path base, Path target, String name, String... schedule) {
        Path model = dir.resolve("blend-" + name + ".safetensors");
        Path grid = dir.resolve("blend-" + name + ".png");
        run(concat(new String[] {"blend", "--base", base.toString(), "--target", target.toString(), "--out",
                model.toString(), "--preview-seeds", quick ? "0-3" : "0-7", "--grid", grid.toString(), "--run-dir",
                dir.resolve("blend-" + name).toString()}, schedule));
        return List.of(model.toString(), grid.toString());
    }

    private void say(String what) {
        log.printf("[%d/%d] %s%n", ++step, STEPS, what);
        log.flush();
    }

    /** Runs one ukiyoe command in this process; its own output is kept quiet unless it fails. */
    private void run(String... args) {
        log.println("      $ ukiyoe " + String.join(" ", args));
        log.flush();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.execute(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        if (code != 0) {
            String err = e.toString(StandardCharsets.UTF_8).strip();
            String last = err.isEmpty() ? "" : err.substring(err.lastIndexOf('\n') + 1);
            throw new UserError("demo: 'ukiyoe " + args[0] + "' failed (exit " + code + "): " + last, code, null);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Each photo beside the student's picture of it (same file names), a row each. */
    private static java.awt.image.BufferedImage pairsGrid(Path photos, Path translated) throws IOException {
        List<java.awt.image.BufferedImage> cells = new ArrayList<>();
        try (var s = Files.list(photos)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".png")).sorted().toList()) {
                cells.add(javax.imageio.ImageIO.read(p.toFile()));
                cells.add(javax.imageio.ImageIO.read(translated.resolve(p.getFileName()).toFile()));
            }
        }
        return Images.grid(cells, 2, List.of("photo", "student"));
    }

    private static Path extract(String resource, Path to) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/io/ukiyoe/demo/" + resource)) {
            if (in == null) {
                throw new UserError("demo: the shipped model " + resource + " is missing from this build "
                        + "(cli/src/main/resources/io/ukiyoe/demo/)");
            }
            byte[] bytes = in.readAllBytes();
            AtomicFiles.write(to, os -> os.write(bytes));
        }
        return to;
    }
}
