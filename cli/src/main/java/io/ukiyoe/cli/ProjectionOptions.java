package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.LandmarkFiles;
import io.ukiyoe.training.project.PerceptualLoss;
import io.ukiyoe.training.project.LpipsFiles;
import io.ukiyoe.training.project.ProjectJob;
import io.ukiyoe.training.project.ProjectorSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The projector's options, shared by {@code project} and {@code toonify}. */
final class ProjectionOptions {
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

    /** Option combinations, before any work. */
    void check(boolean hasImages) {
        Args.positive("--steps", steps);
        if ((lpipsVgg == null) != (lpipsLin == null)) {
            throw new UserError("LPIPS needs both --lpips-vgg and --lpips-lin", 2, null);
        }
        if ((landmarks == null) != (format == null)) {
            throw new UserError("--landmarks and --format go together", 2, null);
        }
        if (landmarks != null && !hasImages) {
            throw new UserError("--landmarks aligns --images; it does not apply to --target", 2, null);
        }
    }

    PerceptualLoss loss() {
        return LpipsFiles.lossOf(lpipsVgg == null ? null : new LpipsFiles(lpipsVgg, lpipsLin));
    }

    ProjectorSettings settings(Integer stopAfter) {
        return ProjectorSettings.DEFAULTS.withSteps(steps).withStopAfter(stopAfter).withLatentNoise(latentNoise)
                .withWPlus(wPlus).withSeed(seed).withMse(mse);
    }

    /** The images to project: {@code images} as given, or its faces aligned into DIR/aligned at {@code size} px. */
    Path alignedIfAsked(Path images, int size, PrintWriter err) throws java.io.IOException {
        if (landmarks == null) {
            return images;
        }
        LandmarkFiles.Format f = LandmarkFiles.parseFormat(format);
        if (!Files.exists(landmarks)) {
            throw new UserError(landmarks + ": no such file or folder");
        }
        Path aligned = out.resolve("aligned");
        Progress p = new Progress(err, "align", 0);
        AlignJob.run(images, landmarks, f, size, aligned, p::update);
        p.done();
        return aligned;
    }

    /** A progress bar per image with the current losses. */
    static ProjectJob.Listener progress(PrintWriter err, List<String> names) {
        Progress[] bar = new Progress[1];
        return (i, n, step, total) -> {
            if (step.step() == 0) {
                bar[0] = new Progress(err, String.format(Locale.ROOT, "%d/%d %s", i + 1, n, names.get(i)), total);
            }
            bar[0].update(step.step() + 1, String.format(Locale.ROOT, "loss %.4g  p_loss %.4f", step.loss(), step.pLoss()));
            if (step.step() + 1 == total) {
                bar[0].done();
            }
        };
    }
}
