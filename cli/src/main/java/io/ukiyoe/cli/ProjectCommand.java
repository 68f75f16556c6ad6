package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.LandmarkFiles;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.vision.Lpips;
import io.ukiyoe.training.project.PerceptualLoss;
import io.ukiyoe.training.project.PixelPyramidLoss;
import io.ukiyoe.training.project.ProjectJob;
import io.ukiyoe.training.project.ProjectionTargets;
import io.ukiyoe.training.project.Projector;
import io.ukiyoe.training.project.ProjectorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe project}: find the latent (W or W+) and noise maps of images in a model (rosinality's projector.py). */
@Command(name = "project", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Project images into a model's W (or W+) space and noise maps, as rosinality's projector.py: "
                + "per image NAME.npz (w [1, num_ws, w_dim], noise_<i>), NAME-projected.png, NAME-trace.csv; trace.png.")
final class ProjectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BASE", description = "Model file or checkpoint (e.g. the FFHQ base).")
    Path model;

    static final class Input {
        @Option(names = "--images", paramLabel = "DIR_OR_FILE", description = "Image file, folder or .zip (centre-cropped, resized to the model's size, at most 256).")
        Path images;

        @Option(names = "--target", paramLabel = "T.npy", description = "A float32 target [1, 3, S, S] in [-1, 1], used as is.")
        Path target;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--landmarks", paramLabel = "PATH", description = "Align the --images faces first (FFHQ way) from these landmarks.")
    Path landmarks;

    @Option(names = "--format", paramLabel = "FMT", description = "rekognition | dlib68 | five-point (with --landmarks).")
    String format;

    @Option(names = "--lpips-vgg", paramLabel = "VGG16.pth", description = "torchvision's vgg16 weights for LPIPS (with --lpips-lin).")
    Path lpipsVgg;

    @Option(names = "--lpips-lin", paramLabel = "LIN.pth", description = "lpips weights/v0.1/vgg.pth. Without LPIPS: a pixel-pyramid loss (see README).")
    Path lpipsLin;

    @Option(names = "--w-plus", description = "Optimise one latent per layer (W+) instead of one w.")
    boolean wPlus;

    @Option(names = "--steps", defaultValue = "1000", paramLabel = "N", description = "Steps of the schedule (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--stop-after", paramLabel = "K", description = "Run only the first K steps of the N-step schedule.")
    Integer stopAfter;

    @Option(names = "--start-latent", paramLabel = "L.npy", description = "Start here instead of the mean latent: [1, num_ws, w_dim] or [w_dim].")
    Path startLatent;

    @Option(names = "--start-noise", paramLabel = "N.npz", description = "Start noise maps (keys noise_<i>, [1, 1, r, r]) instead of random ones.")
    Path startNoise;

    @Option(names = "--latent-noise", defaultValue = "0.05", paramLabel = "S", description = "Latent noise scale (projector.py's --noise; default: ${DEFAULT-VALUE}).")
    double latentNoise;

    @Option(names = "--mse", defaultValue = "0", paramLabel = "W", description = "Weight of a pixel MSE term (projector.py's --mse; default: ${DEFAULT-VALUE}).")
    double mse;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the mean latent, start noise and latent noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--video", description = "Also write NAME.mp4: target | projection at every step.")
    boolean video;

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Args.positive("--steps", steps);
        if (stopAfter != null && (stopAfter < 1 || stopAfter > steps)) {
            throw new UserError("--stop-after must be in [1, --steps " + steps + "], got " + stopAfter, 2, null);
        }
        if ((lpipsVgg == null) != (lpipsLin == null)) {
            throw new UserError("LPIPS needs both --lpips-vgg and --lpips-lin", 2, null);
        }
        if ((landmarks == null) != (format == null)) {
            throw new UserError("--landmarks and --format go together", 2, null);
        }
        if (landmarks != null && input.images == null) {
            throw new UserError("--landmarks aligns --images; it does not apply to --target", 2, null);
        }
        StyleGanModel m = Models.load(model);
        PerceptualLoss loss = lpipsVgg != null ? PerceptualLoss.lpips(Lpips.load(lpipsVgg, lpipsLin)) : new PixelPyramidLoss();
        ProjectorSettings s = ProjectorSettings.DEFAULTS.withSteps(steps).withStopAfter(stopAfter)
                .withLatentNoise(latentNoise).withWPlus(wPlus).withSeed(seed).withMse(mse);
        var err = spec.commandLine().getErr();
        Projector projector = Quiet.call(spec, () -> new Projector(m, loss, s));
        int size = projector.targetSize();
        Path source = input.target != null ? input.target : input.images;
        if (landmarks != null) {
            LandmarkFiles.Format f = LandmarkFiles.parseFormat(format);
            if (!Files.exists(landmarks)) {
                throw new UserError(landmarks + ": no such file or folder");
            }
            Path aligned = out.resolve("aligned");
            Progress ap = new Progress(err, "align", 0);
            AlignJob.run(input.images, landmarks, f, m.config().resolution(), aligned, ap::update);
            ap.done();
            source = aligned;
        }
        List<ProjectionTargets.Target> targets = ProjectionTargets.load(source, size);
        float[] latent = startLatent == null ? null : ProjectJob.readStartLatent(startLatent);
        List<float[]> noise = startNoise == null ? null : ProjectJob.readStartNoise(startNoise, projector.noiseSizes());
        force.check(ProjectJob.allOutputs(out, targets, video).toArray(Path[]::new));
        err.println("projecting " + targets.size() + " image(s) at " + size + " px with " + loss.describe() + ", "
                + (wPlus ? "W+" : "W") + ", " + s.stepsToRun() + " of " + steps + " steps");
        Progress[] bar = new Progress[1];
        List<ProjectJob.Result> results = ProjectJob.run(projector, targets,
                new ProjectJob.Options(latent, noise, out, video, force.force), (i, n, step, total) -> {
                    if (step.step() == 0) {
                        bar[0] = new Progress(err, String.format(Locale.ROOT, "%d/%d %s", i + 1, n, targets.get(i).name()), total);
                    }
                    bar[0].update(step.step() + 1, String.format(Locale.ROOT, "loss %.4g  p_loss %.4f", step.loss(), step.pLoss()));
                    if (step.step() + 1 == total) {
                        bar[0].done();
                    }
                });
        var o = spec.commandLine().getOut();
        for (ProjectJob.Result r : results) {
            o.printf(Locale.ROOT, "%s: %s/%s.npz  p_loss %.6f  mse %.6f%n", r.name(), out, r.name(),
                    r.last() == null ? Double.NaN : r.last().pLoss(), r.last() == null ? Double.NaN : r.last().mseLoss());
        }
        return 0;
    }
}
