package io.ukiyoe.training.project;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Outputs;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.VideoWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ukiyoe project}: each target projected with one {@link Projector}; per target {@code NAME.npz}
 * ({@code w} [1, num_ws, w_dim] as stylegan2-ada's projected_w.npz, {@code noise_<i>} [1, 1, r, r]),
 * {@code NAME-projected.png}, {@code NAME-trace.csv} ({@code step,lr,p_loss,n_loss,mse_loss,loss}, the
 * values of each step before its update), optionally {@code NAME.mp4} (target | projection per step),
 * and {@code trace.png} (one image's curves, or every image's total loss). Files are written atomically
 * after each target's projection.
 */
public final class ProjectJob {
    private ProjectJob() {}

    /** Where a projection stands, for progress bars. */
    public interface Listener {
        void step(int target, int targets, Projector.Step step, int steps);
    }

    /** Start point and outputs. */
    public record Options(float[] startLatent, List<float[]> startNoise, Path out, boolean video, boolean force) {}

    /** What was projected: per target, its name and the final step's values. */
    public record Result(String name, Projector.Step last) {}

    /** The output files of a target. */
    public static List<Path> outputs(Path out, String name, boolean video) {
        List<Path> p = new ArrayList<>(List.of(out.resolve(name + ".npz"), out.resolve(name + "-projected.png"),
                out.resolve(name + "-trace.csv")));
        if (video) {
            p.add(out.resolve(name + ".mp4"));
        }
        return p;
    }

    /** Every file a run writes (trace.png and each target's). */
    public static List<Path> allOutputs(Path out, List<ProjectionTargets.Target> targets, boolean video) {
        List<Path> all = new ArrayList<>(List.of(out.resolve("trace.png")));
        for (ProjectionTargets.Target t : targets) {
            all.addAll(outputs(out, t.name(), video));
        }
        return all;
    }

    public static List<Result> run(Projector projector, List<ProjectionTargets.Target> targets, Options o, Listener listener) {
        Outputs.checkNew(o.force(), allOutputs(o.out(), targets, o.video()).toArray(Path[]::new));
        try {
            Files.createDirectories(o.out());
            Projector.LatentStats stats = projector.latentStats();
            List<Result> results = new ArrayList<>();
            List<double[]> totals = new ArrayList<>();
            List<Projector.Step> lastSteps = null;
            for (int i = 0; i < targets.size(); i++) {
                ProjectionTargets.Target t = targets.get(i);
                List<Projector.Step> steps = project(projector, stats, t, o, i, targets.size(), listener);
                results.add(new Result(t.name(), steps.isEmpty() ? null : steps.get(steps.size() - 1)));
                totals.add(steps.stream().mapToDouble(Projector.Step::loss).toArray());
                lastSteps = steps;
            }
            BufferedImage plot = targets.size() == 1 ? TracePlot.ofSteps(lastSteps, projector.settings().noiseRegularize())
                    : TracePlot.draw(targets.stream().map(ProjectionTargets.Target::name).toArray(String[]::new),
                    totals.toArray(double[][]::new));
            AtomicFiles.write(o.out().resolve("trace.png"), out -> javax.imageio.ImageIO.write(plot, "png", out));
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Projector.Step> project(Projector projector, Projector.LatentStats stats, ProjectionTargets.Target t,
                                                Options o, int index, int count, Listener listener) throws IOException {
        Projector.Run run;
        try {
            run = projector.start(t.image(), stats, o.startLatent(), o.startNoise());
        } catch (IllegalArgumentException e) {          // only the start point or target can misfit here
            throw new UserError(t.name() + ": " + e.getMessage(), e);
        }
        List<Projector.Step> steps = new ArrayList<>();
        BufferedImage targetPicture = Images.toImage(t.image().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
        VideoWriter video = o.video() ? VideoWriter.open(o.out().resolve(t.name() + ".mp4"), 30) : null;
        try {
            while (!run.done()) {
                Projector.Step s = run.step();
                steps.add(new Projector.Step(s.step(), s.t(), s.lr(), s.noiseStrength(), s.pLoss(), s.nLoss(), s.mseLoss(),
                        s.loss(), null, null));                 // the images are not kept
                if (video != null) {
                    video.add(sideBySide(targetPicture, picture(s.image())));
                }
                listener.step(index, count, s, projector.settings().stepsToRun());
            }
            if (video != null) {
                video.close();
                video = null;
            }
        } finally {
            if (video != null) {
                video.abandon();
            }
        }
        Map<String, Tensor> state = run.state();
        Npy.writeNpz(o.out().resolve(t.name() + ".npz"), state);
        BufferedImage projected = picture(run.image());
        AtomicFiles.write(o.out().resolve(t.name() + "-projected.png"), out -> javax.imageio.ImageIO.write(projected, "png", out));
        StringBuilder csv = new StringBuilder("step,lr,p_loss,n_loss,mse_loss,loss\n");
        for (Projector.Step s : steps) {
            csv.append(String.format(Locale.ROOT, "%d,%.9g,%.9g,%.9g,%.9g,%.9g%n", s.step(), s.lr(), s.pLoss(), s.nLoss(),
                    s.mseLoss(), s.loss()));
        }
        AtomicFiles.writeString(o.out().resolve(t.name() + "-trace.csv"), csv.toString());
        return steps;
    }

    private static BufferedImage picture(INDArray nchw) {
        return Images.toImage(nchw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
    }

    private static BufferedImage sideBySide(BufferedImage a, BufferedImage b) {
        int w = a.getWidth() + b.getWidth();
        int h = Math.max(a.getHeight(), b.getHeight());
        BufferedImage out = new BufferedImage(w + (w % 2), h + (h % 2), BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        return out;
    }

    /** A start latent: float32 .npy [1, num_ws, w_dim], [num_ws, w_dim] or [w_dim] (checked against the model later). */
    public static float[] readStartLatent(Path file) {
        Tensor t = Npy.read(file);
        if (t.rank() < 1 || t.rank() > 3 || (t.rank() == 3 && t.shape()[0] != 1)) {
            throw new UserError(file + ": a start latent must be [1, num_ws, w_dim] or [w_dim], got " + t.shapeString());
        }
        return t.data();
    }

    /** Start noise maps from an .npz with keys {@code noise_0 .. noise_<n-1>}, [1, 1, r, r] each (as the projector writes). */
    public static List<float[]> readStartNoise(Path file, List<Integer> sizes) {
        Map<String, Tensor> maps = Npy.readNpz(file);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            Tensor t = maps.get("noise_" + i);
            int r = sizes.get(i);
            if (t == null) {
                throw new UserError(file + ": no key 'noise_" + i + "' (the model has " + sizes.size() + " noise maps, noise_0.."
                        + "noise_" + (sizes.size() - 1) + ")");
            }
            if (t.numel() != (long) r * r) {
                throw new UserError(file + ": noise_" + i + " is " + t.shapeString() + ", the model's map is [1, 1, " + r + ", " + r + "]");
            }
            out.add(t.data());
        }
        return out;
    }
}
