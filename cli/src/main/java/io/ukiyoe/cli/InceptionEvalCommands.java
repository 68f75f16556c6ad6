package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.eval.fid.ImageFeatures;
import io.ukiyoe.eval.fid.InceptionMetrics;
import io.ukiyoe.eval.fid.Kid;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.vision.FidInception;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe eval fid | kid | features}: metrics with pytorch-fid's FID Inception. */
final class InceptionEvalCommands {
    private InceptionEvalCommands() {}

    /** Options shared by fid and kid. */
    static final class SetOptions {
        @Option(names = "--a", required = true, paramLabel = "A",
                description = "Real set: image folder, .zip, prepared dataset, model file, or (FID) pytorch-fid .npz statistics.")
        Path a;

        @Option(names = "--b", required = true, paramLabel = "B", description = "Generated set: same kinds as --a.")
        Path b;

        @Option(names = "--inception", paramLabel = "FILE",
                description = "pytorch-fid's FID Inception weights pt_inception-2015-12-05-6726825d.pth (or its imported .safetensors).")
        Path inception;

        @Option(names = "--n", defaultValue = "50000", description = "Images per set: generated exactly, read at most (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--batch", defaultValue = "32", description = "Images per Inception pass (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--truncation", defaultValue = "1.0", description = "Truncation psi of model files (default: ${DEFAULT-VALUE}).")
        double truncation;

        @Option(names = "--cache", paramLabel = "DIR", description = "Statistics cache of datasets (default: ~/.cache/ukiyoe/fid-stats).")
        Path cache;

        @Option(names = "--no-cache", description = "Neither read nor write cached dataset statistics.")
        boolean noCache;

        @picocli.CommandLine.Mixin
        SparkOption spark = new SparkOption();

        InceptionMetrics metrics(PrintWriter err, Cluster cluster) {
            Path dir = noCache ? null : cache != null ? cache : InceptionMetrics.defaultCacheDir();
            return new InceptionMetrics(new InceptionMetrics.Options(inception, n, batch, truncation, dir),
                    (label, total) -> progress(err, label, total), cluster);
        }
    }

    static java.util.function.LongConsumer progress(PrintWriter err, String label, long total) {
        Progress p = new Progress(err, label, total);
        return done -> {
            p.update(done);
            if (done >= total) {
                p.done();
            }
        };
    }

    @Command(name = "fid", mixinStandardHelpOptions = true,
            description = "Fréchet Inception Distance (pytorch-fid's network and formula); last line 'FID: <v>'.")
    static final class FidCmd implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        SetOptions sets = new SetOptions();

        @Option(names = "--save-stats", paramLabel = "FILE.npz", description = "Also write set A's statistics (pytorch-fid format).")
        Path saveStats;

        @picocli.CommandLine.Mixin
        ForceOption force = new ForceOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            force.check(saveStats);
            double fid;
            try (Cluster cluster = sets.spark.open()) {
                fid = sets.metrics(spec.commandLine().getErr(), cluster).fid(sets.a, sets.b, saveStats);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "FID: %.4f%n", fid);
            return 0;
        }
    }

    @Command(name = "kid", mixinStandardHelpOptions = true,
            description = "Kernel Inception Distance (stylegan2-ada's formula) x1e3; last line 'KID x1e3: <v>'.")
    static final class KidCmd implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        SetOptions sets = new SetOptions();

        @Option(names = "--subsets", defaultValue = "" + Kid.NUM_SUBSETS, description = "Random subsets (default: ${DEFAULT-VALUE}).")
        int subsets;

        @Option(names = "--subset-size", defaultValue = "" + Kid.MAX_SUBSET_SIZE,
                description = "Largest subset size (default: ${DEFAULT-VALUE}).")
        int subsetSize;

        @Option(names = "--seed", defaultValue = "123", description = "numpy seed of the subset draws (default: ${DEFAULT-VALUE}).")
        long seed;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Args.positive("--subsets", subsets);
            double kid;
            try (Cluster cluster = sets.spark.open()) {
                kid = sets.metrics(spec.commandLine().getErr(), cluster).kid(sets.a, sets.b, subsets, subsetSize, seed);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "KID x1e3: %.4f%n", kid * 1e3);
            return 0;
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = "Pool3 features [N, 2048] of float32 NCHW images in [0, 1] (any size; resized to 299 as pytorch-fid).")
    static final class FeaturesCmd implements Callable<Integer> {
        @Option(names = "--inception", paramLabel = "FILE", description = "pt_inception-2015-12-05-6726825d.pth or its imported .safetensors.")
        Path inception;

        @Option(names = "--input", required = true, paramLabel = "X.npy", description = "float32 images [N, 3, H, W] in [0, 1].")
        Path input;

        @Option(names = "--out", required = true, paramLabel = "F.npy", description = "Where to write the features (float32 [N, 2048]).")
        Path out;

        @picocli.CommandLine.Mixin
        ForceOption force = new ForceOption();

        @Option(names = "--batch", defaultValue = "32", description = "Images per pass (default: ${DEFAULT-VALUE}).")
        int batch;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Args.positive("--batch", batch);
            force.check(out);
            INDArray x = Ops.array(Npy.read(input));
            try {
                ImageFeatures.checkImages(x);   // before loading the network
            } catch (UserError e) {
                throw new UserError(input + ": " + e.getMessage(), e);
            }
            FidInception net = FidInception.load(inception);
            INDArray f = new ImageFeatures(net, batch, progress(spec.commandLine().getErr(), input.getFileName().toString(),
                    x.size(0))).ofArray(x);
            Npy.write(out, NdArrays.tensor(f));
            spec.commandLine().getOut().printf(Locale.ROOT, "features: %s -> %s%n", java.util.Arrays.toString(f.shape()), out);
            return 0;
        }
    }
}
