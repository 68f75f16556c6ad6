package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.training.project.PerceptualLoss;
import io.ukiyoe.training.project.ProjectJob;
import io.ukiyoe.training.project.ProjectionTargets;
import io.ukiyoe.training.project.Projector;
import io.ukiyoe.training.project.ProjectorSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ProjectionOptions options = new ProjectionOptions();

    @Option(names = "--stop-after", paramLabel = "K", description = "Run only the first K steps of the N-step schedule.")
    Integer stopAfter;

    @Option(names = "--start-latent", paramLabel = "L.npy", description = "Start here instead of the mean latent: [1, num_ws, w_dim] or [w_dim].")
    Path startLatent;

    @Option(names = "--start-noise", paramLabel = "N.npz", description = "Start noise maps (keys noise_<i>, [1, 1, r, r]) instead of random ones.")
    Path startNoise;

    @Mixin
    ForceOption force = new ForceOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        options.check(input.images != null);
        if (stopAfter != null && (stopAfter < 1 || stopAfter > options.steps)) {
            throw new UserError("--stop-after must be in [1, --steps " + options.steps + "], got " + stopAfter, 2, null);
        }
        StyleGanModel m = Models.load(model);
        PerceptualLoss loss = options.loss();
        ProjectorSettings s = options.settings(stopAfter);
        var err = spec.commandLine().getErr();
        Projector projector = Quiet.call(spec, () -> new Projector(m, loss, s));
        Path source = input.target != null ? input.target : options.alignedIfAsked(input.images, m.config().resolution(), err);
        List<ProjectionTargets.Target> targets = ProjectionTargets.load(source, projector.targetSize());
        float[] latent = startLatent == null ? null : ProjectJob.readStartLatent(startLatent);
        List<float[]> noise = startNoise == null ? null : ProjectJob.readStartNoise(startNoise, projector.noiseSizes());
        Path out = options.out;
        force.check(ProjectJob.allOutputs(out, targets, options.video).toArray(Path[]::new));
        err.println("projecting " + targets.size() + " image(s) at " + projector.targetSize() + " px with " + loss.describe()
                + ", " + (s.wPlus() ? "W+" : "W") + ", " + s.stepsToRun() + " of " + s.steps() + " steps");
        List<ProjectJob.Result> results = ProjectJob.run(projector, targets,
                new ProjectJob.Options(latent, noise, out, options.video, force.force),
                ProjectionOptions.progress(err, targets.stream().map(ProjectionTargets.Target::name).toList()));
        var o = spec.commandLine().getOut();
        for (ProjectJob.Result r : results) {
            o.printf(Locale.ROOT, "%s: %s  p_loss %.6f  mse %.6f%n", r.name(), out.resolve(r.name() + ".npz"),
                    r.last() == null ? Double.NaN : r.last().pLoss(), r.last() == null ? Double.NaN : r.last().mseLoss());
        }
        return 0;
    }
}
