package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean and covariance of features streamed in batches, in float64, without keeping the features:
 * sums are taken around a shift (the first batch's mean) so the {@code E[xx'] - E[x]E[x]'} form does not
 * cancel catastrophically; the result equals {@code np.mean}/{@code np.cov} (N - 1) to rounding.
 */
public final class FeatureAccumulator {
    private final int dims;
    private INDArray shift;
    private final INDArray sum;
    private final INDArray outer;
    private long count;

    public FeatureAccumulator(int dims) {
        this.dims = dims;
        this.sum = Nd4j.zeros(DataType.DOUBLE, 1, dims);
        this.outer = Nd4j.zeros(DataType.DOUBLE, dims, dims);
    }

    /** Adds features {@code [n, dims]}. */
    public void add(INDArray features) {
        if (features.rank() != 2 || features.size(1) != dims) {
            throw new IllegalArgumentException("features must be [n, " + dims + "], got " + java.util.Arrays.toString(features.shape()));
        }
        INDArray x = features.castTo(DataType.DOUBLE);
        if (shift == null) {
            shift = x.mean(true, 0);
        }
        INDArray c = x.subRowVector(shift);
        sum.addi(c.sum(true, 0));
        outer.addi(c.transpose().mmul(c));
        count += x.size(0);
    }

    public long count() {
        return count;
    }

    /** mu and the N - 1 covariance; fewer than 2 samples is a one-line error (no covariance). */
    public FeatureStats stats() {
        if (count < 2) {
            throw new UserError("FID needs at least 2 images to estimate a covariance, got " + count);
        }
        INDArray meanShifted = sum.div(count);
        INDArray cov = outer.sub(meanShifted.transpose().mmul(meanShifted).mul(count)).div(count - 1);
        return new FeatureStats(meanShifted.add(shift).toDoubleVector(), cov.reshape(-1).toDoubleVector(), count);
    }
}
