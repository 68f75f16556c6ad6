package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.graphs.vision.FidInception;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * FID and/or KID of a generator against one real dataset, again and again (training snapshots): the
 * real side is read through the network once (its FID statistics cached as {@link InceptionMetrics}
 * caches them), each call generates {@code n} images (seeds 0..n-1, no truncation) and compares.
 */
public final class SnapshotMetrics {
    public static final String FID = "fid";
    public static final String KID = "kid";

    private final InceptionMetrics metrics;
    private final InceptionMetrics.Options options;
    private final Path real;
    private final List<String> which;
    private final int kidSubsets;
    private final int kidSubsetSize;
    private FeatureStats realStats;
    private INDArray realFeatures;

    public SnapshotMetrics(InceptionMetrics.Options options, Path real, List<String> which, int kidSubsets, int kidSubsetSize) {
        for (String w : which) {
            if (!w.equals(FID) && !w.equals(KID)) {
                throw new UserError("unknown metric '" + w + "' (known: fid, kid)");
            }
        }
        if (!which.isEmpty() && options.inception() == null) {
            FidInception.load(null);    // the one-line error naming the weights file
        }
        this.options = options;
        this.metrics = new InceptionMetrics(options, (label, total) -> done -> { });
        this.real = real;
        this.which = List.copyOf(which);
        this.kidSubsets = kidSubsets;
        this.kidSubsetSize = kidSubsetSize;
    }

    public boolean isEmpty() {
        return which.isEmpty();
    }

    /** {@code fid} and/or {@code kid_x1e3} of the generator's images. */
    public Map<String, Double> of(Generator g) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (which.isEmpty()) {
            return out;
        }
        prepareReal();
        List<INDArray> parts = new ArrayList<>();
        FeatureAccumulator acc = new FeatureAccumulator(FidInception.FEATURES);
        new ImageFeatures(metrics.network(), options.batch(), done -> { }).ofGenerator(g, options.n(), 1.0, f -> {
            acc.add(f);
            parts.add(f);
        });
        if (which.contains(FID)) {
            out.put("fid", Fid.distance(realStats, acc.stats()));
        }
        if (which.contains(KID)) {
            INDArray gen = Nd4j.concat(0, parts.toArray(INDArray[]::new));
            out.put("kid_x1e3", Kid.compute(realFeatures, gen, kidSubsets, kidSubsetSize, ReferenceFeatures.KID_SEED) * 1e3);
        }
        return out;
    }

    private void prepareReal() {
        if (realStats != null) {
            return;
        }
        if (which.contains(KID)) {
            realFeatures = metrics.features(real);
            FeatureAccumulator acc = new FeatureAccumulator(FidInception.FEATURES);
            acc.add(realFeatures);
            realStats = acc.stats();
        } else {
            realStats = metrics.stats(real);
        }
    }
}
