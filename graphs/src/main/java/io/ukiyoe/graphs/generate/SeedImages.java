package io.ukiyoe.graphs.generate;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.rng.NumpyRandomState;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Seeds -> z -> images, the one rule every seeded picture follows (generate, blend previews, fakes
 * grids, videos, contact sheets, metrics, distillation pairs): z of seed s is
 * {@code np.random.RandomState(s).randn(z_dim)} (stylegan2-ada's generate.py), and random noise of
 * the image of seed s is drawn from s, so a seed gives the same latent and noise in any model of the
 * same size and in any batch.
 */
public final class SeedImages {
    private SeedImages() {}

    /** z [N, z_dim] of the seeds. */
    public static INDArray z(List<Long> seeds, int zDim) {
        INDArray z = Nd4j.create(DataType.FLOAT, seeds.size(), zDim);
        for (int i = 0; i < seeds.size(); i++) {
            double[] v = new NumpyRandomState(seeds.get(i)).randn(zDim);
            for (int j = 0; j < zDim; j++) {
                z.putScalar(i, j, (float) v[j]);
            }
        }
        return z;
    }

    /** Seeds 0..n-1. */
    public static List<Long> range(long n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    /** Images [N, 3, R, R] of the seeds in one pass: truncation psi, random noise seeded per seed. */
    public static INDArray images(Generator g, List<Long> seeds, double psi) {
        INDArray z = z(seeds, g.config().zDim());
        long[] noise = seeds.stream().mapToLong(Long::longValue).toArray();
        return g.synthesis(g.ws(z, new Generator.Truncation(psi, null), null, 0), Generator.NoiseMode.RANDOM, noise);
    }

    /** Images of the seeds in batches of {@code batch}, each [3, R, R] in about [-1, 1], in seed order. */
    public static void generate(Generator g, List<Long> seeds, double psi, int batch, Consumer<float[]> sink) {
        for (int s = 0; s < seeds.size(); s += batch) {
            List<Long> part = seeds.subList(s, Math.min(seeds.size(), s + batch));
            INDArray img = images(g, part, psi);
            for (int i = 0; i < part.size(); i++) {
                sink.accept(NdArrays.floats(img.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all())));
            }
        }
    }
}
