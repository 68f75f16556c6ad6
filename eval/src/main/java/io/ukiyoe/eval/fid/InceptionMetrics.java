package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.eval.ImageSets;
import io.ukiyoe.graphs.vision.FidInception;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * FID and KID between two sets, each an image folder / zip / prepared dataset, a StyleGAN2 model file
 * (images of seeds 0..n-1), or (FID only) a pytorch-fid {@code .npz} of statistics. The statistics of
 * image datasets are cached under {@code cacheDir} by the SHA-256 of the dataset's files, the image
 * count and the Inception weights, so a dataset is run through the network once.
 */
public final class InceptionMetrics {
    /** How sets are read. */
    public record Options(
            Path inception,        // pt_inception-2015-12-05-6726825d.pth or its imported .safetensors
            int n,                 // images per set (generated: exactly n; datasets: at most n)
            int batch,             // images per network pass
            double truncation,     // psi for model files
            Path cacheDir) {       // where dataset statistics are cached; null: no cache
        public Options {
            if (n < 1) {
                throw new UserError("--n must be positive, got " + n);
            }
            if (batch < 1) {
                throw new UserError("--batch must be positive, got " + batch);
            }
        }
    }

    /** {@code ~/.cache/ukiyoe/fid-stats}: where dataset statistics are cached unless told otherwise. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "ukiyoe", "fid-stats");
    }

    /** What a progress bar needs: the set being read and its image count so far. */
    public interface Progress {
        LongConsumer start(String label, long total);
    }

    private final Options options;
    private final Progress progress;
    private final Cluster cluster;

    public InceptionMetrics(Options options, Progress progress) {
        this(options, progress, Cluster.local());
    }

    /** Sets read by {@code cluster}'s workers, a window of {@code batch} images per task (the same features on any engine). */
    public InceptionMetrics(Options options, Progress progress, Cluster cluster) {
        this.options = options;
        this.progress = progress;
        this.cluster = cluster;
    }

    /** FID between two sets; {@code saveStats} (may be null) receives set A's statistics. */
    public double fid(Path a, Path b, Path saveStats) {
        FeatureStats sa = stats(a);
        FeatureStats sb = stats(b);
        if (saveStats != null) {
            sa.write(saveStats);
        }
        return Fid.distance(sa, sb);
    }

    /** KID between a real set {@code a} and a generated set {@code b} (ada's order: subsets drawn from b first). */
    public double kid(Path a, Path b, int numSubsets, int maxSubsetSize, long seed) {
        return Kid.compute(features(a), features(b), numSubsets, maxSubsetSize, seed);
    }

    /** Statistics of a set: read from a {@code .npz}, from the cache, or computed (and cached). */
    public FeatureStats stats(Path set) {
        if (isStats(set)) {
            return FeatureStats.read(set);
        }
        Path cached = null;
        if (options.cacheDir() != null && !ImageSets.isModel(set)) {
            cached = options.cacheDir().resolve(datasetSha256(set) + "-n" + options.n() + "-"
                    + Hashing.sha256(inceptionFile()).substring(0, 16) + ".npz");
            if (Files.isRegularFile(cached)) {
                return FeatureStats.read(cached);
            }
        }
        FeatureAccumulator acc = new FeatureAccumulator(FidInception.FEATURES);
        read(set, acc::add);
        FeatureStats s = acc.stats();
        if (cached != null) {
            try {
                Files.createDirectories(cached.getParent());
            } catch (java.io.IOException e) {
                throw new UserError(cached.getParent() + ": cannot create the statistics cache: " + e.getMessage(), e);
            }
            s.write(cached);
        }
        return s;
    }

    /** Pool3 features {@code [n, 2048]} of an image set or model. */
    public INDArray features(Path set) {
        if (isStats(set)) {
            throw new UserError(set + ": KID needs images or a model, not FID statistics (mu and sigma do not determine it)");
        }
        List<INDArray> parts = new ArrayList<>();
        read(set, parts::add);
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private void read(Path set, java.util.function.Consumer<INDArray> sink) {
        if (!Files.exists(set)) {
            throw new UserError(set + ": no such file or folder");
        }
        inceptionFile();   // a missing weights file is reported before anything about the images
        boolean model = ImageSets.isModel(set);
        long total = model ? options.n() : Math.min(options.n(), countImages(set));
        if (total < 2) {   // before any network work: FID's covariance and KID's MMD need two
            throw new UserError(set + ": " + total + " image" + (total == 1 ? "" : "s")
                    + "; FID and KID need at least 2 images per set");
        }
        LongConsumer done = progress.start(set.getFileName().toString(), total);
        List<ImageFeatures.Window> windows = ImageFeatures.windows(options.inception(), set, model, (int) total,
                options.batch(), options.truncation());
        // in waves, so a large set's features are not all held at once; a wave keeps every worker busy
        int wave = Math.max(16, 8 * cluster.parallelism());
        for (int from = 0; from < windows.size(); from += wave) {
            List<ImageFeatures.Window> part = windows.subList(from, Math.min(windows.size(), from + wave));
            long before = (long) from * options.batch();
            for (java.util.ArrayList<float[][]> chunks : cluster.map(new java.util.ArrayList<>(part), ImageFeatures::features,
                    k -> done.accept(Math.min(total, before + (long) k * options.batch())))) {
                for (float[][] chunk : chunks) {
                    sink.accept(Nd4j.create(chunk));
                }
            }
        }
    }

    FidInception network() {
        return ImageFeatures.network(inceptionFile());
    }

    private Path inceptionFile() {
        if (options.inception() == null || !Files.isRegularFile(options.inception())) {
            FidInception.load(options.inception());   // the one-line error naming the weights file
        }
        return options.inception();
    }

    static boolean isStats(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
    }

    private static int countImages(Path set) {
        try (ImageSource src = ImageSource.open(set)) {
            if (src.names().isEmpty()) {
                throw new UserError(set + ": no images (.png, .jpg, .jpeg) found");
            }
            return src.names().size();
        }
    }

    /** SHA-256 over the dataset's image names and bytes in order: the cache key of its statistics. */
    public static String datasetSha256(Path set) {
        try (ImageSource src = ImageSource.open(set)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String name : src.names()) {
                md.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(Hashing.sha256(src.bytes(name)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
