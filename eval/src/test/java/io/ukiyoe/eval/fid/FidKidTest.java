package io.ukiyoe.eval.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tools.jackson.databind.JsonNode;

/** FID and KID of the fixture's pool3 feature sets against pytorch-fid and stylegan2-ada (fid/README.md). */
class FidKidTest {
    private static final JsonNode RESULTS = Fixtures.json("fid/fid_kid_results.json");

    private static INDArray features(String set) {
        return Fixtures.npy("fid/fid_set" + set + "_pool3.npy");
    }

    /** Streams the features in two uneven batches, as the CLI does. */
    private static FeatureStats stats(String set) {
        INDArray f = features(set);
        FeatureAccumulator acc = new FeatureAccumulator((int) f.size(1));
        acc.add(f.get(NDArrayIndex.interval(0, 20), NDArrayIndex.all()));
        acc.add(f.get(NDArrayIndex.interval(20, f.size(0)), NDArrayIndex.all()));
        return acc.stats();
    }

    private static void assertRelative(double expected, double actual, double tol, String what) {
        assertEquals(expected, actual, tol * Math.abs(expected), what);
    }

    @Test
    void statisticsAndFidAsPytorchFid() {
        FeatureStats a = stats("A");
        FeatureStats b = stats("B");
        for (var e : new Object[][] {{"A", a}, {"B", b}}) {
            FeatureStats s = (FeatureStats) e[1];
            double[] mu = Fixtures.npy("fid/fid_set" + e[0] + "_mu.npy").toDoubleVector();
            double[] diag = Fixtures.npy("fid/fid_set" + e[0] + "_sigma_diag.npy").toDoubleVector();
            for (int i = 0; i < mu.length; i++) {
                assertEquals(mu[i], s.mu()[i], 1e-6 * Math.max(1, Math.abs(mu[i])), "mu " + i);
                assertEquals(diag[i], s.sigma()[i * mu.length + i], 1e-6 * Math.max(1, Math.abs(diag[i])), "sigma diag " + i);
            }
        }
        assertRelative(RESULTS.get("fid_pytorch_fid").asDouble(), Fid.distance(a, b), 1e-3, "FID");
    }

    @Test
    void fidOfPytorchFidStatisticsFiles(@TempDir Path tmp) {
        FeatureStats a = FeatureStats.read(Fixtures.file("fid/fid_setA_stats_dims64.npz"));
        FeatureStats b = FeatureStats.read(Fixtures.file("fid/fid_setB_stats_dims64.npz"));
        assertRelative(RESULTS.get("fid_pytorch_fid_dims64_from_npz").asDouble(), Fid.distance(a, b), 1e-3, "FID 64-d");
        Path out = tmp.resolve("a.npz");
        a.write(out);
        FeatureStats back = FeatureStats.read(out);
        assertArrayEquals(a.mu(), back.mu());
        assertArrayEquals(a.sigma(), back.sigma());
    }

    @Test
    void kidAsStylegan2Ada() {
        INDArray real = features("A");
        INDArray gen = features("B");
        JsonNode kid = RESULTS.get("kid_ada");
        int[][][] drawn = Kid.drawSubsets((int) real.size(0), (int) gen.size(0), kid.get("num_subsets").asInt(),
                kid.get("max_subset_size").asInt(), kid.get("numpy_seed").asLong());
        INDArray given = Fixtures.npy("fid/kid_subset_indices.npy");
        for (int s = 0; s < drawn.length; s++) {
            for (int side = 0; side < 2; side++) {
                assertArrayEquals(given.get(NDArrayIndex.point(s), NDArrayIndex.point(side), NDArrayIndex.all()).toIntVector(),
                        drawn[s][side], "subset " + s + " side " + side);
            }
        }
        assertRelative(kid.get("value").asDouble(), Kid.compute(real, gen, kid.get("num_subsets").asInt(),
                kid.get("max_subset_size").asInt(), kid.get("numpy_seed").asLong()), 1e-3, "KID");
        assertRelative(RESULTS.get("kid_ada_all_samples").get("value").asDouble(), Kid.compute(real, gen, 1, 1000, 7),
                1e-3, "KID over all samples");
    }

    @Test
    void tooFewImagesAreOneLineErrors() {
        FeatureAccumulator one = new FeatureAccumulator(2048);
        one.add(features("A").get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()));
        assertThrows(UserError.class, one::stats);
        INDArray single = features("A").get(NDArrayIndex.interval(0, 1), NDArrayIndex.all());
        assertThrows(UserError.class, () -> Kid.compute(features("A"), single, 10, 1000, 123));
    }
}
