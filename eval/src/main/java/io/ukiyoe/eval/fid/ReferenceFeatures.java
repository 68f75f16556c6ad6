package io.ukiyoe.eval.fid;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One reference set's pool3 features (a sweep's style domain, a student's target images), kept so that
 * many other sets can be compared with it: FID against its statistics, KID against its features.
 */
public final class ReferenceFeatures {
    /** The seed of KID's subsets, as {@link SnapshotMetrics} draws them. */
    static final long KID_SEED = 123;

    private final INDArray features;
    private final FeatureStats stats;
    private final int kidSubsets;
    private final int kidSubsetSize;

    public ReferenceFeatures(INDArray features, int kidSubsets, int kidSubsetSize) {
        this.features = features;
        FeatureAccumulator acc = new FeatureAccumulator((int) features.size(1));
        acc.add(features);
        this.stats = acc.stats();
        this.kidSubsets = kidSubsets;
        this.kidSubsetSize = kidSubsetSize;
    }

    /** FID of another set's features against the reference. */
    public double fid(INDArray other) {
        FeatureAccumulator acc = new FeatureAccumulator((int) other.size(1));
        acc.add(other);
        return Fid.distance(stats, acc.stats());
    }

    /** KID x 1e3 of another set's features against the reference (the reference as the real set). */
    public double kidX1e3(INDArray other) {
        return Kid.compute(features, other, kidSubsets, kidSubsetSize, KID_SEED) * 1e3;
    }

    public long count() {
        return features.size(0);
    }
}
