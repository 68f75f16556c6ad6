package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.eval.Compare;
import io.ukiyoe.eval.ImageSets;
import io.ukiyoe.eval.Swd;
import io.ukiyoe.eval.SwdSets;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code ukiyoe eval}: metrics. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Metrics: FID, KID, Inception features, sliced Wasserstein distance, structure preservation, LPIPS.",
        subcommands = {InceptionEvalCommands.FidCmd.class, InceptionEvalCommands.KidCmd.class,
            InceptionEvalCommands.FeaturesCmd.class, EvalCommand.SwdCmd.class, EvalCommand.CompareCmd.class,
            EvalCommand.LpipsCmd.class})
final class EvalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "swd", mixinStandardHelpOptions = true,
            description = "Sliced Wasserstein distance (x1e3 per pyramid level and average) between two image sets.")
    static final class SwdCmd implements Callable<Integer> {
        @Option(names = "--a", required = true, paramLabel = "A", description = "Image folder, prepared dataset, or model file.")
        Path a;

        @Option(names = "--b", required = true, paramLabel = "B", description = "Image folder, prepared dataset, or model file.")
        Path b;

        @Option(names = "--n", defaultValue = "2000", description = "Images per set (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--resolution", paramLabel = "PX", description = "Compare at this size (default: a model's, else the largest power of two the images' shorter side holds).")
        Integer resolution;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of patch and direction sampling (default: ${DEFAULT-VALUE}).")
        long seed;

        @picocli.CommandLine.Mixin
        ForceOption force = new ForceOption();

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
        Path json;

        @picocli.CommandLine.Mixin
        SparkOption spark = new SparkOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Args.positive("--n", n);
            force.check(json);
            int res = resolution != null ? resolution
                    : ImageSets.isModel(a) ? Models.load(a).config().resolution()
                    : ImageSets.isModel(b) ? Models.load(b).config().resolution() : ImageSets.comparisonSize(a, b);
            if (res < Swd.MIN_RESOLUTION || Integer.bitCount(res) != 1) {
                throw new UserError("SWD needs a power-of-two resolution of at least 16 px, got " + res, 2, null);
            }
            // the same patch positions on both sides: a set against itself scores exactly 0
            var err = spec.commandLine().getErr();
            Swd.Descriptors da;
            Swd.Descriptors db;
            try (Cluster cluster = spark.open()) {
                da = descriptors(a, res, new Progress(err, "swd A", n), cluster);
                db = descriptors(b, res, new Progress(err, "swd B", n), cluster);
            }
            Swd.Result r = Swd.compute(da, db, seed);
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "compared at %d px: %d images of A, %d of B%s%n", res, da.images(), db.images(),
                    da.images() < n || db.images() < n ? " (fewer than --n " + n + ": all a set has)" : "");
            Map<String, Object> j = new LinkedHashMap<>();
            for (int i = 0; i < r.perLevel().length; i++) {
                out.printf(Locale.ROOT, "SWD x1e3 %d: %.4f%n", r.resolutions().get(i), r.perLevel()[i]);
                j.put(Integer.toString(r.resolutions().get(i)), r.perLevel()[i]);
            }
            out.printf(Locale.ROOT, "SWD x1e3 avg: %.4f%n", r.average());
            if (json != null) {
                j.put("avg", r.average());
                AtomicFiles.writeString(json, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                        .writeValueAsString(Map.of("swd_x1e3", j, "n", n, "resolution", res)) + "\n");
            }
            return 0;
        }

        private Swd.Descriptors descriptors(Path source, int res, Progress p, Cluster cluster) {
            Swd.Descriptors d = SwdSets.descriptors(source, n, res, seed, cluster, p::update);
            p.done();
            return d;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Structure preservation between two models on the same latents and noise.")
    static final class CompareCmd implements Callable<Integer> {
        @Option(names = "--a", required = true, paramLabel = "M1", description = "Reference model (e.g. the base).")
        Path a;

        @Option(names = "--b", required = true, paramLabel = "M2", description = "Model to compare (e.g. a blend).")
        Path b;

        @Option(names = "--seeds", defaultValue = "0-63", description = "Seeds (default: ${DEFAULT-VALUE}).")
        String seeds;

        @Option(names = "--truncation", defaultValue = "0.7", description = "Truncation psi (default: ${DEFAULT-VALUE}).")
        double psi;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StyleGanModel ma = Models.load(a);
            StyleGanModel mb = Models.load(b);
            if (ma.config().resolution() != mb.config().resolution()) {
                throw new UserError("the models generate different sizes (" + ma.config().resolution() + " vs "
                        + mb.config().resolution() + " px)");
            }
            java.util.List<Long> list = Args.seeds("--seeds", seeds);
            Progress p = new Progress(spec.commandLine().getErr(), "compare", 2L * list.size());
            Compare.Result r = Compare.run(new Generator(ma), new Generator(mb), list, psi, p::update);
            p.done();
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "images: %d%n", r.images());
            out.printf(Locale.ROOT, "correlation at 16 px: %.4f%n", r.correlation16());
            out.printf(Locale.ROOT, "correlation at 32 px: %.4f%n", r.correlation32());
            out.printf(Locale.ROOT, "SSIM at 32 px: %.4f%n", r.ssim32());
            out.printf(Locale.ROOT, "yaw (synthetic-face regressor): a %.2f deg, b %.2f deg, mean |b - a| %.2f deg%n",
                    r.yawA(), r.yawB(), r.yawDifference());
            return 0;
        }
    }

    @Command(name = "lpips", mixinStandardHelpOptions = true,
            description = "LPIPS (net-lin, VGG16, v0.1) per image pair and their mean; last line 'LPIPS mean: <v>'.")
    static final class LpipsCmd implements Callable<Integer> {
        @Option(names = "--a", required = true, paramLabel = "DIR_OR_NPY",
                description = "Images: a folder or .zip (sorted names), or a float32 .npy [N, 3, H, W] in [-1, 1].")
        Path a;

        @Option(names = "--b", required = true, paramLabel = "DIR_OR_NPY", description = "The other image of each pair, as --a.")
        Path b;

        @Option(names = "--vgg", required = true, paramLabel = "VGG16.pth", description = "torchvision's vgg16 weights (vgg16-397923af.pth).")
        Path vgg;

        @Option(names = "--lin", required = true, paramLabel = "LIN.pth", description = "The lpips lin weights (lpips weights/v0.1/vgg.pth).")
        Path lin;

        @Option(names = "--out", paramLabel = "D.npy", description = "Also write the distances as float32 [N].")
        Path out;

        @Option(names = "--batch", defaultValue = "8", description = "Pairs per pass (default: ${DEFAULT-VALUE}).")
        int batch;

        @picocli.CommandLine.Mixin
        ForceOption force = new ForceOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Args.positive("--batch", batch);
            force.check(out);
            io.ukiyoe.graphs.vision.Lpips lpips = io.ukiyoe.graphs.vision.Lpips.load(vgg, lin);
            double[] d = io.ukiyoe.eval.LpipsPairs.distances(lpips, a, b, batch,
                    total -> InceptionEvalCommands.progress(spec.commandLine().getErr(), "lpips", total));
            var o = spec.commandLine().getOut();
            float[] f = new float[d.length];
            double sum = 0;
            for (int i = 0; i < d.length; i++) {
                o.printf(Locale.ROOT, "pair %d: %.6f%n", i, d[i]);
                f[i] = (float) d[i];
                sum += d[i];
            }
            if (out != null) {
                io.ukiyoe.core.io.Npy.write(out, new io.ukiyoe.core.io.Tensor(new long[] {d.length}, f));
            }
            o.printf(Locale.ROOT, "LPIPS mean: %.6f%n", sum / d.length);
            return 0;
        }
    }
}
