package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.nn.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe bench}: speed benchmarks on random config-f weights. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Speed benchmarks.",
        subcommands = {BenchCommand.Generate.class, BenchCommand.Blend.class, BenchCommand.Train.class, BenchInception.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Generator forward pass (mapping + synthesis, const noise) of a config-f model with random weights. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Time the config-f generator (channel_base 32768) with random weights; prints seconds/image "
                    + "and GFLOP/s (median after warm-up).")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--resolution", defaultValue = "256", description = "Output resolution (default: ${DEFAULT-VALUE}).")
        int resolution;

        @Option(names = "--batch", defaultValue = "1", description = "Images per pass (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--iters", defaultValue = "5", description = "Timed passes (default: ${DEFAULT-VALUE}).")
        int iters;

        @Option(names = "--warmup", defaultValue = "1", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (resolution < 4 || resolution > 1024 || Integer.bitCount(resolution) != 1 || batch <= 0 || iters <= 0) {
                throw new UserError("bench generate: resolution must be a power of two in [4, 1024], batch and iters positive", 2, null);
            }
            StyleGanConfig c = StyleGanConfig.of(resolution, 512, 512, 8, StyleGanConfig.adaChannels(resolution, 32768, 512));
            var out = spec.commandLine().getOut();
            out.printf("config-f generator at %d px, batch %d, %,d synthesis MACs per image (convolutions)%n",
                    resolution, batch, synthesisMacs(c));
            Generator g = new Generator(randomModel(c, 7));
            INDArray z = Nd4j.randn(DataType.FLOAT, batch, 512);
            double median = median(out, "pass", warmup, iters, () ->
                    g.synthesis(g.ws(z, Generator.Truncation.NONE, null, 0), Generator.NoiseMode.CONST, 0).sumNumber());
            double perImage = median / batch;
            out.printf("seconds/image: %.3f  GFLOP/s: %.1f%n", perImage, 2.0 * synthesisMacs(c) / perImage / 1e9);
            return 0;
        }
    }

    /** Read two model files, blend them with a sigmoid schedule, write the result: the blend command's I/O path. */
    @Command(name = "blend", mixinStandardHelpOptions = true,
            description = "Time read + blend + write of two config-f generators (random weights, 30 M parameters each at 1024).")
    static final class Blend implements Callable<Integer> {
        @Option(names = "--resolution", defaultValue = "1024", description = "Output resolution (default: ${DEFAULT-VALUE}).")
        int resolution;

        @Option(names = "--iters", defaultValue = "3", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
        int iters;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            StyleGanConfig c = StyleGanConfig.of(resolution, 512, 512, 8, StyleGanConfig.adaChannels(resolution, 32768, 512));
            var out = spec.commandLine().getOut();
            java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("ukiyoe-bench-blend");
            try {
                java.nio.file.Path a = tmp.resolve("base.safetensors");
                java.nio.file.Path b = tmp.resolve("target.safetensors");
                java.nio.file.Path o = tmp.resolve("blended.safetensors");
                StyleGanModel base = randomModel(c, 1);
                base.write(a);
                randomModel(c, 2).write(b);
                long params = base.tensors().values().stream().mapToLong(Tensor::numel).sum();
                out.printf("two %d px generators, %,d values each%n", resolution, params);
                double median = median(out, "pass", 0, iters, () -> io.ukiyoe.swap.Blender.blend(StyleGanModel.read(a),
                        StyleGanModel.read(b), io.ukiyoe.swap.BlendOptions.of(new io.ukiyoe.swap.Schedule.Sigmoid(16, 0.7, 1)),
                        Map.of()).model().write(o));
                out.printf("seconds (read + blend + write, median): %.3f%n", median);
            } finally {
                try (var files = java.nio.file.Files.walk(tmp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return 0;
        }
    }

    /** One training step (D then G, no R1 that step) at 64 px with channels 96/96/64/48/32 and batch 8. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Time one training step (D and G updates) at 64 px, channels 96/96/64/48/32, batch 8, random weights.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--iters", defaultValue = "9", description = "Timed steps (default: ${DEFAULT-VALUE}).")
        int iters;

        // the first step builds the graphs and runs R1; the next ones are slower while the JIT and
        // the memory pools settle (10-20 steps here), so a training run's pace shows after those
        @Option(names = "--warmup", defaultValue = "12", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Args.positive("--batch", batch);
            Args.positive("--iters", iters);
            Args.positive("--warmup", warmup);
            Map<Integer, Integer> ch = Map.of(4, 96, 8, 96, 16, 64, 32, 48, 64, 32);
            StyleGanConfig c = StyleGanConfig.of(64, 512, 512, 8, ch);
            io.ukiyoe.training.TrainerCore core = new io.ukiyoe.training.TrainerCore(
                    io.ukiyoe.graphs.model.Init.random(c, 3, true),
                    new io.ukiyoe.training.TrainerCore.Settings(batch, 0.002, 10, Integer.MAX_VALUE, 10, null, 0.9, 3),
                    name -> false);
            INDArray reals = Nd4j.rand(DataType.FLOAT, batch, 3, 64, 64).muli(2).subi(1);
            var out = spec.commandLine().getOut();
            double median = Quiet.call(spec, () -> median(out, "step", warmup, iters, () -> core.step(reals)));
            out.printf("seconds/step: %.3f%n", median);
            return 0;
        }
    }

    /** Runs {@code warmup + iters} passes, printing each, and returns the median of the timed ones. */
    static double median(java.io.PrintWriter out, String what, int warmup, int iters, Runnable pass) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < warmup + iters; i++) {
            long t0 = System.nanoTime();
            pass.run();
            double s = (System.nanoTime() - t0) / 1e9;
            if (i >= warmup) {
                times.add(s);
            }
            out.printf("  %s %d%s: %.3f s%n", what, i + 1, i < warmup ? " (warm-up)" : "", s);
        }
        times.sort(Double::compare);
        return times.get(times.size() / 2);
    }

    /** Multiply-accumulates of the synthesis convolutions (up-convs as stride-2 transposed convs) and toRGB. */
    static long synthesisMacs(StyleGanConfig c) {
        long macs = 0;
        for (int r = 4; r <= c.resolution(); r *= 2) {
            long ch = c.channels(r);
            if (r > 4) {
                macs += ch * c.channels(r / 2) * 9L * (r / 2) * (r / 2);
            }
            macs += ch * ch * 9L * r * r + 3L * ch * r * r;
        }
        return macs;
    }

    /** A model with random weights in the usual initialisation (affine bias 1, noise strength 0). */
    public static StyleGanModel randomModel(StyleGanConfig c, long seed) {
        return io.ukiyoe.graphs.model.Init.random(c, seed, false);
    }
}
