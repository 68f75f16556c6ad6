package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
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
        subcommands = {BenchCommand.Generate.class, BenchCommand.Blend.class, BenchCommand.Train.class,
                BenchCommand.Upscale.class, BenchCommand.Detect.class, BenchTranslateCommand.class, BenchInception.class,
                BenchPairsCommand.class, BenchProjectCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Generator forward pass (mapping + synthesis, const noise) of a config-f model with random weights. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Time the config-f generator (channel_base 32768) with random weights; prints GFLOP/s, "
                    + "images/s and, last, seconds/image (median after warm-up).")
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
            out.printf("GFLOP/s: %.1f%n", 2.0 * synthesisMacs(c) / perImage / 1e9);
            out.printf("images/s: %.3f%n", 1 / perImage);
            out.printf("seconds/image: %.3f%n", perImage);
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

    /**
     * Training steps (D then G) at 64 px with channels 96/96/64/48/32 and batch 8 (or the network the
     * options give, e.g. stylegan2-ada's anchor: --channel-base 2048 --channel-max 96 --z-dim 128 --n-mlp 4),
     * with optional lazy R1 and path-length steps among the timed ones; medians per kind of step.
     */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Time training steps (D and G updates) with random weights: by default at 64 px, channels "
                    + "96/96/64/48/32, z/w 512, 8 mapping layers, batch 8; with --r1-interval / --pl-interval the lazy "
                    + "steps are timed too. Prints, last, seconds/step (plain steps) and, with --pl-interval, "
                    + "seconds/pl-step (medians).")
    static final class Train implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--resolution", defaultValue = "64", description = "Image resolution, a power of two in "
                + "[8, 1024] (default: ${DEFAULT-VALUE}).")
        int resolution;

        @Option(names = "--channel-base", defaultValue = "0", description = "Channels min(B / r, --channel-max) at "
                + "resolution r, as stylegan2-ada (config-f: 32768); 0: 96/96/64/48/32 at 64 px (default: ${DEFAULT-VALUE}).")
        int channelBase;

        @Option(names = "--channel-max", defaultValue = "512", description = "With --channel-base (default: ${DEFAULT-VALUE}).")
        int channelMax;

        @Option(names = "--z-dim", defaultValue = "512", description = "z and w width (default: ${DEFAULT-VALUE}).")
        int zDim;

        @Option(names = "--n-mlp", defaultValue = "8", description = "Mapping layers (default: ${DEFAULT-VALUE}).")
        int nMlp;

        @Option(names = "--iters", defaultValue = "9", description = "Timed steps, at least; more run until each "
                + "kind of step (plain, R1, path length) has 3 timed samples (default: ${DEFAULT-VALUE}).")
        int iters;

        // the first step builds the graphs and runs R1; the next ones are slower while the JIT and
        // the memory pools settle (10-20 steps here), so a training run's pace shows after those
        @Option(names = "--warmup", defaultValue = "12", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--r1-interval", defaultValue = "0", description = "Lazy R1 (gamma 10) every K steps; 0: only "
                + "on the first (untimed) step (default: ${DEFAULT-VALUE}).")
        int r1Interval;

        @Option(names = "--pl-interval", defaultValue = "0", description = "Lazy path-length regularisation (weight 2, "
                + "batch / 2) every K steps; 0: off (default: ${DEFAULT-VALUE}).")
        int plInterval;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Args.positive("--batch", batch);
            Args.positive("--iters", iters);
            Args.positive("--warmup", warmup);
            if (r1Interval < 0 || plInterval < 0) {
                throw new UserError("bench train: --r1-interval and --pl-interval must be 0 (off) or positive", 2, null);
            }
            Args.positive("--z-dim", zDim);
            Args.positive("--n-mlp", nMlp);
            Args.positive("--channel-max", channelMax);
            if (resolution < 8 || resolution > 1024 || Integer.bitCount(resolution) != 1) {
                throw new UserError("bench train: --resolution must be a power of two in [8, 1024], got " + resolution, 2, null);
            }
            if (channelBase < 0 || channelBase == 0 && resolution != 64) {
                throw new UserError("bench train: --channel-base must be positive (0, the default table, is for 64 px only)", 2, null);
            }
            Map<Integer, Integer> ch = channelBase == 0 ? Map.of(4, 96, 8, 96, 16, 64, 32, 48, 64, 32)
                    : StyleGanConfig.adaChannels(resolution, channelBase, channelMax);
            if (ch.values().stream().anyMatch(n -> n < 1)) {
                throw new UserError("bench train: --channel-base " + channelBase + " leaves no channels at " + resolution + " px", 2, null);
            }
            StyleGanConfig c = StyleGanConfig.of(resolution, zDim, zDim, nMlp, ch);
            spec.commandLine().getOut().printf("training step at %d px, batch %d, channels %s, z/w %d, %d mapping layers%n",
                    resolution, batch, new java.util.TreeMap<>(ch).values(), zDim, nMlp);
            var settings = io.ukiyoe.training.TrainSettings.of(batch, 0.002, 10,
                    r1Interval == 0 ? Integer.MAX_VALUE : r1Interval, 10, null, 0.9, 3);
            if (plInterval > 0) {
                settings = settings.withPathLength(2, plInterval, 2, 0.01);
            }
            io.ukiyoe.training.TrainerCore core = new io.ukiyoe.training.TrainerCore(
                    io.ukiyoe.graphs.model.Init.random(c, 3, true), settings, name -> false);
            INDArray reals = Nd4j.rand(DataType.FLOAT, batch, 3, resolution, resolution).muli(2).subi(1);
            var out = spec.commandLine().getOut();
            Map<String, List<Double>> times = Quiet.call(spec, () -> timeSteps(out, core, reals));
            out.printf("peak memory: %s%n", BenchTranslateCommand.peakMemory());
            if (r1Interval > 0) {
                out.printf("seconds/r1-step: %.3f%n", median(times.get("r1-step")));
            }
            out.printf("seconds/step: %.3f%n", median(times.get("step")));
            if (plInterval > 0) {
                out.printf("seconds/pl-step: %.3f%n", median(times.get("pl-step")));
            }
            return 0;
        }

        /** Runs the warm-up, then timed steps until each kind that occurs has 3 samples; seconds by kind. */
        private Map<String, List<Double>> timeSteps(java.io.PrintWriter out, io.ukiyoe.training.TrainerCore core,
                                                    INDArray reals) {
            Map<String, List<Double>> times = new LinkedHashMap<>();
            List<String> kinds = new ArrayList<>();
            if (r1Interval != 1 && plInterval != 1) {
                kinds.add("step");
            }
            if (r1Interval > 0) {
                kinds.add("r1-step");
            }
            if (plInterval > 0) {
                kinds.add("pl-step");
            }
            kinds.forEach(k -> times.put(k, new ArrayList<>()));
            for (int i = 0; i < warmup || !enough(times, kinds, i - warmup); i++) {
                if (i == warmup) {
                    io.ukiyoe.graphs.runtime.OpProfile.reset();     // the op profile covers the timed steps
                }
                long t0 = System.nanoTime();
                var l = core.step(reals);
                double sec = (System.nanoTime() - t0) / 1e9;
                // a step with both lazy terms counts as neither kind: it times their sum
                boolean r1 = Double.isFinite(l.r1());
                boolean pl = Double.isFinite(l.pathLength());
                String kind = r1 && pl ? "r1+pl-step" : r1 ? "r1-step" : pl ? "pl-step" : "step";
                if (i >= warmup) {
                    times.computeIfAbsent(kind, k -> new ArrayList<>()).add(sec);
                }
                out.printf("  %s %d%s: %.3f s (%s)%n", kind, i + 1, i < warmup ? " (warm-up)" : "", sec,
                        BenchTranslateCommand.memoryNow());
            }
            return times;
        }

        private boolean enough(Map<String, List<Double>> times, List<String> kinds, int timed) {
            if (timed < iters) {
                return false;
            }
            for (String k : kinds) {
                if (times.get(k).size() < 3 && timed < 50 * iters) {          // (a bound, in case a kind never comes)
                    return false;
                }
            }
            return true;
        }

        private static double median(List<Double> t) {
            if (t == null || t.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(t);
            sorted.sort(Double::compare);
            return sorted.get(sorted.size() / 2);
        }
    }

    /** ESRGAN x4 on one image: the official RRDBNet (nf 64, nb 23, gc 32) with random weights. */
    @Command(name = "upscale", mixinStandardHelpOptions = true,
            description = "Time ESRGAN x4 (official RRDBNet: nf 64, nb 23, gc 32; random weights) on one image; prints "
                    + "seconds/image last (median after warm-up).")
    static final class Upscale implements Callable<Integer> {
        @Option(names = "--size", defaultValue = "128", description = "Input side; output is 4x (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--tile", defaultValue = "0", description = "Tile side as in 'data upscale'; 0 = whole image (default: ${DEFAULT-VALUE}).")
        int tile;

        @Option(names = "--iters", defaultValue = "3", description = "Timed passes (default: ${DEFAULT-VALUE}).")
        int iters;

        @Option(names = "--warmup", defaultValue = "1", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Args.positive("--size", size);
            Args.positive("--iters", iters);
            if (warmup < 0 || tile < 0) {
                throw new UserError("bench upscale: --warmup and --tile must be at least 0", 2, null);
            }
            var c = io.ukiyoe.graphs.esrgan.EsrganConfig.OFFICIAL;
            var net = new io.ukiyoe.data.upscale.TiledUpscaler(
                    io.ukiyoe.graphs.esrgan.RRDBNet.of(io.ukiyoe.graphs.esrgan.EsrganFamily.random(c, 7)), tile, Math.min(16, tile / 2));
            var out = spec.commandLine().getOut();
            long macs = esrganMacs(c, size);
            out.printf("ESRGAN %s, %d x %d -> %d x %d, %,d MACs per image%n", c.describe(), size, size, 4 * size, 4 * size, macs);
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, size, size);
            double median = median(out, "pass", warmup, iters, () -> net.upscale(x).sumNumber());
            out.printf("GFLOP/s: %.1f%n", 2.0 * macs / median / 1e9);
            out.printf("seconds/image: %.3f%n", median);
            return 0;
        }
    }

    /** Multiply-accumulates of RRDBNet's convolutions on an {@code n x n} input. */
    static long esrganMacs(io.ukiyoe.graphs.esrgan.EsrganConfig c, long n) {
        long lo = n * n * 9;
        long perPixelDense = 0;
        for (int j = 1; j <= 5; j++) {
            perPixelDense += (long) c.denseIn(j) * c.denseOut(j);
        }
        long nf = c.nf();
        return lo * (c.inChannels() * nf + 3L * c.nb() * perPixelDense + nf * nf)   // conv_first, trunk, trunk_conv
                + 4 * lo * nf * nf                                                    // upconv1 at 2x
                + 16 * lo * (2 * nf * nf + nf * c.outChannels());                     // upconv2, HRconv, conv_last at 4x
    }

    /** Runs {@code warmup + iters} passes, printing each, and returns the median of the timed ones. */
    /** MTCNN face detection on a 1024x768 photo (the whole cascade, default settings). */
    @Command(name = "detect", mixinStandardHelpOptions = true,
            description = "Time MTCNN face detection (pyramid, P-Net, R-Net, O-Net, NMS) on a 1024x768 picture; "
                    + "prints seconds/photo (median after warm-up).")
    static final class Detect implements Callable<Integer> {
        @Option(names = "--detector", paramLabel = "DIR",
                description = "facenet-pytorch's pnet.pt, rnet.pt, onet.pt (default: random weights of the same shapes).")
        java.nio.file.Path detector;

        @Option(names = "--width", defaultValue = "1024", description = "Photo width (default: ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--height", defaultValue = "768", description = "Photo height (default: ${DEFAULT-VALUE}).")
        int height;

        @Option(names = "--iters", defaultValue = "5", description = "Timed passes (default: ${DEFAULT-VALUE}).")
        int iters;

        @Option(names = "--warmup", defaultValue = "1", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Args.positive("--width", width);
            Args.positive("--height", height);
            Args.positive("--iters", iters);
            var out = spec.commandLine().getOut();
            var weights = detector == null ? io.ukiyoe.graphs.mtcnn.MtcnnWeights.random(7)
                    : io.ukiyoe.graphs.mtcnn.MtcnnWeights.load(detector);
            var mtcnn = new io.ukiyoe.graphs.mtcnn.Mtcnn(weights, io.ukiyoe.graphs.mtcnn.MtcnnSettings.DEFAULT);
            // a smooth random picture (blocks of colour plus noise): with random weights only the cost matters
            Random r = new Random(11);
            int[] argb = new int[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int base = ((x / 64) * 37 + (y / 64) * 91) & 0xff;
                    int v = Math.min(255, Math.max(0, base + r.nextInt(33) - 16));
                    argb[y * width + x] = 0xff000000 | v << 16 | (255 - v) << 8 | (v * 3 & 0xff);
                }
            }
            var photo = io.ukiyoe.graphs.mtcnn.RgbPlanes.fromArgb(width, height, argb);
            out.printf("MTCNN on a %dx%d photo, %s weights, min face 20, factor 0.709, thresholds 0.6/0.7/0.7%n",
                    width, height, detector == null ? "random" : "given");
            int[] faces = new int[1];
            Runnable pass = () -> faces[0] = mtcnn.detect(List.of(photo)).get(0).size();
            median(out, "warm-up", 0, warmup, pass);
            // CPU time of the whole process too: on a shared machine it varies much less than wall time
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            double median = median(out, "photo", 0, iters, pass);
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / iters;
            out.printf("faces found: %d%n", faces[0]);
            out.printf("CPU seconds/photo (all threads, mean): %.3f%n", cpu);
            out.printf("seconds/photo: %.3f%n", median);
            return 0;
        }
    }

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
