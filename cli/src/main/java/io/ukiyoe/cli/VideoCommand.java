package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.VideoWriter;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.swap.Blender;
import io.ukiyoe.swap.Videos;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe video}: latent walks, weight averaging and layer swapping as MP4 or GIF. */
@Command(name = "video", mixinStandardHelpOptions = true,
        description = "Render videos: latent walks, weight averaging and layer swapping (MP4 or GIF by extension).",
        subcommands = {VideoCommand.Latent.class, VideoCommand.Weights.class, VideoCommand.Swap.class})
final class VideoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every video takes. */
    static final class Common {
        @Option(names = "--seeds", defaultValue = "0-3", paramLabel = "SEEDS", description = "Seeds (default: ${DEFAULT-VALUE}).")
        String seeds;

        @picocli.CommandLine.Mixin
        ForceOption force = new ForceOption();

        @Option(names = "--out", required = true, paramLabel = "FILE.mp4|FILE.gif", description = "Video to write.")
        Path out;

        @Option(names = "--fps", defaultValue = "30", description = "Frames per second (default: ${DEFAULT-VALUE}).")
        int fps;

        @Option(names = "--size", paramLabel = "PX", description = "Width of each image in the frame (default: the model resolution, at least 128).")
        Integer size;

        @Option(names = "--truncation", defaultValue = "0.7", paramLabel = "PSI", description = "Truncation psi (default: ${DEFAULT-VALUE}).")
        double psi;

        @Option(names = "--noise", defaultValue = "const", paramLabel = "MODE", description = "const | random | none (default: ${DEFAULT-VALUE}).")
        String noise;

        List<Long> seedList() {
            return Args.seeds("--seeds", seeds);
        }

        Videos.Settings settings(StyleGanModel m) {
            Generator.NoiseMode mode = switch (noise) {
                case "const" -> Generator.NoiseMode.CONST;
                case "random" -> Generator.NoiseMode.RANDOM;
                case "none" -> Generator.NoiseMode.NONE;
                default -> throw new UserError("--noise: must be const, random or none, got '" + noise + "'", 2, null);
            };
            int width = size != null ? size : Math.max(128, m.config().resolution());
            if (width < 2 || width > 4096) {
                throw new UserError("--size: must be between 2 and 4096, got " + width, 2, null);
            }
            return new Videos.Settings(width, psi, mode);
        }
    }

    /** Renders frames with a progress bar; a failure leaves no partial video. */
    interface Render {
        void frames(VideoWriter w, java.util.function.IntConsumer progress) throws Exception;
    }

    static void render(CommandSpec spec, Common c, int total, Render r) throws Exception {
        c.force.check(c.out);
        VideoWriter w = VideoWriter.open(c.out, c.fps);
        Progress p = new Progress(spec.commandLine().getErr(), "video", total);
        try {
            r.frames(w, p::update);
            w.close();
        } catch (Exception | Error e) {
            w.abandon();
            throw e;
        }
        p.done();
        spec.commandLine().getOut().printf("wrote %s (%d frames, %d fps)%n", c.out, w.frames(), c.fps);
    }

    @Command(name = "latent", mixinStandardHelpOptions = true, description = "Loop through the seeds' latents (lerp in W, or slerp in Z).")
    static final class Latent implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "M", description = "Model file or checkpoint.")
        Path model;

        @Option(names = "--frames-per-seed", defaultValue = "30", description = "Frames from one seed to the next (default: ${DEFAULT-VALUE}).")
        int framesPerSeed;

        @Option(names = "--space", defaultValue = "w", description = "w (lerp of mapped latents) | z (slerp) (default: ${DEFAULT-VALUE}).")
        String space;

        @Mixin
        Common c;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!space.equals("w") && !space.equals("z")) {
                throw new UserError("--space: must be w or z, got '" + space + "'", 2, null);
            }
            Args.positive("--frames-per-seed", framesPerSeed);
            StyleGanModel m = Models.load(model);
            List<Long> seeds = c.seedList();
            Videos.Settings s = c.settings(m);
            render(spec, c, seeds.size() * framesPerSeed, (w, p) -> Videos.latentWalk(m, seeds, framesPerSeed,
                    space.equals("z"), s, w, p));
            return 0;
        }
    }

    /** The two models of the blend videos. */
    static final class Pair {
        @Option(names = "--base", required = true, paramLabel = "A", description = "Base model (alpha 0).")
        Path base;

        @Option(names = "--target", required = true, paramLabel = "B", description = "Model fine-tuned from the base (alpha 1).")
        Path target;

        /** Both models, checked to be blendable. */
        StyleGanModel[] load() {
            StyleGanModel a = Models.load(base);
            StyleGanModel b = Models.load(target);
            Blender.requireCompatible(base, target, a, b);
            return new StyleGanModel[] {a, b};
        }
    }

    @Command(name = "weights", mixinStandardHelpOptions = true, description = "Whole-model weight averaging: uniform alpha 0 -> 1.")
    static final class Weights implements Callable<Integer> {
        @Mixin
        Pair models;

        @Option(names = "--frames", defaultValue = "60", description = "Number of frames (default: ${DEFAULT-VALUE}).")
        int frames;

        @Mixin
        Common c;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Args.positive("--frames", frames);
            StyleGanModel[] ab = models.load();
            List<Long> seeds = c.seedList();
            Videos.Settings s = c.settings(ab[0]);
            render(spec, c, frames, (w, p) -> Videos.weights(ab[0], ab[1], seeds, frames, s, w, p));
            return 0;
        }
    }

    @Command(name = "swap", mixinStandardHelpOptions = true,
            description = "Layer swapping: more and more layers from the base, one resolution per step (or a sliding sigmoid with --smooth).")
    static final class Swap implements Callable<Integer> {
        @Mixin
        Pair models;

        @Option(names = "--frames-per-step", defaultValue = "15", description = "Frames per resolution step (default: ${DEFAULT-VALUE}).")
        int framesPerStep;

        @Option(names = "--smooth", description = "Slide a sigmoid centre continuously instead of hard steps.")
        boolean smooth;

        @Mixin
        Common c;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Args.positive("--frames-per-step", framesPerStep);
            StyleGanModel[] ab = models.load();
            List<Long> seeds = c.seedList();
            Videos.Settings s = c.settings(ab[0]);
            render(spec, c, Videos.swapFrames(ab[0], framesPerStep), (w, p) -> Videos.swap(ab[0], ab[1], seeds,
                    framesPerStep, smooth, s, w, p));
            return 0;
        }
    }
}
