package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.rng.NumpyRandomState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Kernel Inception Distance as stylegan2-ada's {@code compute_kid}: polynomial kernel
 * {@code k(u, v) = (u.v / d + 1)^3}, unbiased MMD^2 averaged over {@code numSubsets} subsets of
 * {@code m = min(n_real, n_gen, maxSubsetSize)} rows drawn without replacement, per subset the generated
 * rows first, then the real ones, as {@code np.random.choice(n, m, replace=False)} from numpy's legacy
 * RandomState (so a seed gives ada's subsets exactly). Kernel sums in float64.
 */
public final class Kid {
    /** stylegan2-ada's kid50k settings. */
    public static final int NUM_SUBSETS = 100;
    public static final int MAX_SUBSET_SIZE = 1000;

    private Kid() {}

    /** The subsets {@code [s][0]} = generated rows, {@code [s][1]} = real rows, as ada draws them from {@code seed}. */
    public static int[][][] drawSubsets(int nReal, int nGen, int numSubsets, int maxSubsetSize, long seed) {
        int m = subsetSize(nReal, nGen, maxSubsetSize);
        NumpyRandomState rng = new NumpyRandomState(seed);
        int[][][] out = new int[numSubsets][2][];
        for (int s = 0; s < numSubsets; s++) {
            out[s][0] = rng.choiceWithoutReplacement(nGen, m);
            out[s][1] = rng.choiceWithoutReplacement(nReal, m);
        }
        return out;
    }

    static int subsetSize(long nReal, long nGen, int maxSubsetSize) {
        if (nReal < 2 || nGen < 2) {
            throw new UserError("KID needs at least 2 images in each set, got " + nReal + " real and " + nGen + " generated");
        }
        if (maxSubsetSize < 2) {
            throw new UserError("KID subset size must be at least 2, got " + maxSubsetSize);
        }
        return (int) Math.min(Math.min(nReal, nGen), maxSubsetSize);
    }

    /** KID of features {@code [n, d]} with ada's random subsets. */
    public static double compute(INDArray real, INDArray gen, int numSubsets, int maxSubsetSize, long seed) {
        if (numSubsets < 1) {
            throw new UserError("KID needs at least one subset, got " + numSubsets);
        }
        return compute(real, gen, drawSubsets((int) real.size(0), (int) gen.size(0), numSubsets, maxSubsetSize, seed));
    }

    /** KID of features {@code [n, d]} over given subsets ({@code [s][0]} generated rows, {@code [s][1]} real rows). */
    public static double compute(INDArray real, INDArray gen, int[][][] subsets) {
        if (real.rank() != 2 || gen.rank() != 2 || real.size(1) != gen.size(1)) {
            throw new UserError("KID needs feature sets [n, d] of one width, got " + java.util.Arrays.toString(real.shape())
                    + " and " + java.util.Arrays.toString(gen.shape()));
        }
        long d = real.size(1);
        INDArray r = real.castTo(DataType.DOUBLE);
        INDArray g = gen.castTo(DataType.DOUBLE);
        double t = 0;
        int m = 0;
        for (int[][] subset : subsets) {
            m = subset[0].length;
            INDArray x = g.getRows(subset[0]);
            INDArray y = r.getRows(subset[1]);
            INDArray kxx = kernel(x, x, d);
            INDArray kyy = kernel(y, y, d);
            double within = offDiagonalSum(kxx) + offDiagonalSum(kyy);
            t += within / (m - 1) - kernel(x, y, d).sumNumber().doubleValue() * 2 / m;
        }
        return t / subsets.length / m;
    }

    private static INDArray kernel(INDArray a, INDArray b, long d) {
        return Transforms.pow(a.mmul(b.transpose()).divi(d).addi(1), 3, false);
    }

    private static double offDiagonalSum(INDArray k) {
        double s = k.sumNumber().doubleValue();
        for (int i = 0; i < k.rows(); i++) {
            s -= k.getDouble(i, i);
        }
        return s;
    }
}
