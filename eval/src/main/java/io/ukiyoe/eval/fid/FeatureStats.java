package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statistics FID compares: mean {@code mu [d]} and covariance {@code sigma [d, d]} (row-major) of a
 * feature set, with the covariance as pytorch-fid and TF's FID take it ({@code np.cov}, divided by
 * N - 1). Stored as pytorch-fid's {@code .npz} ({@code mu}, {@code sigma}, float64), so files are
 * interchangeable with {@code pytorch_fid --save-stats}.
 */
public record FeatureStats(double[] mu, double[] sigma, long count) {
    public FeatureStats {
        if ((long) mu.length * mu.length != sigma.length) {
            throw new IllegalArgumentException("sigma must be " + mu.length + "x" + mu.length + ", got " + sigma.length + " values");
        }
    }

    public int dims() {
        return mu.length;
    }

    /** Reads a pytorch-fid statistics file; anything else is a one-line error naming the file. */
    public static FeatureStats read(Path file) {
        Map<String, Npy.Doubles> arrays = Npy.readNpzDoubles(file);
        Npy.Doubles mu = arrays.get("mu");
        Npy.Doubles sigma = arrays.get("sigma");
        if (mu == null || sigma == null) {
            throw new UserError(file + ": not FID statistics (needs arrays 'mu' and 'sigma', has " + arrays.keySet() + ")");
        }
        int d = mu.data().length;
        if (mu.shape().length != 1 || sigma.shape().length != 2 || sigma.shape()[0] != d || sigma.shape()[1] != d) {
            throw new UserError(file + ": FID statistics with mu " + java.util.Arrays.toString(mu.shape()) + " and sigma "
                    + java.util.Arrays.toString(sigma.shape()) + " (need [d] and [d, d])");
        }
        Npy.Doubles n = arrays.get("n");
        return new FeatureStats(mu.data(), sigma.data(), n == null ? -1 : (long) n.data()[0]);
    }

    /** Writes the statistics atomically as pytorch-fid's {@code mu}, {@code sigma} (plus the image count {@code n}). */
    public void write(Path file) {
        Map<String, Npy.Doubles> arrays = new LinkedHashMap<>();
        arrays.put("mu", new Npy.Doubles(new long[] {dims()}, mu));
        arrays.put("sigma", new Npy.Doubles(new long[] {dims(), dims()}, sigma));
        arrays.put("n", new Npy.Doubles(new long[0], new double[] {count}));
        try {
            Npy.writeNpzDoubles(file, arrays);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
