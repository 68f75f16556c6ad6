package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.eval.DatasetSwd;
import io.ukiyoe.eval.Swd;
import io.ukiyoe.eval.fid.InceptionMetrics;
import io.ukiyoe.eval.fid.SnapshotMetrics;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.training.SnapshotMetric;
import io.ukiyoe.training.TrainConfig;
import io.ukiyoe.training.TrainMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Training's metrics as eval computes them: where the CLI wires eval into training (which does not depend on it). */
final class EvalTrainMetrics implements TrainMetrics {
    static final EvalTrainMetrics INSTANCE = new EvalTrainMetrics();

    private EvalTrainMetrics() {}

    @Override
    public SnapshotMetric<Generator> inception(TrainConfig c, List<String> which) {
        if (which.isEmpty()) {
            return SnapshotMetric.none();
        }
        TrainConfig.Metrics m = c.metrics();
        Path inception = m.inception() == null ? null : Path.of(m.inception());
        SnapshotMetrics metrics = new SnapshotMetrics(new InceptionMetrics.Options(inception, m.n(), m.batch(), 1.0,
                m.cache() == null ? InceptionMetrics.defaultCacheDir() : Path.of(m.cache())), Path.of(c.data().path()),
                which, m.kidSubsets(), m.kidSubsetSize());
        return metrics::of;
    }

    @Override
    public SnapshotMetric<Generator> swd(Path data, int resolution, int images, long seed) {
        if (resolution < Swd.MIN_RESOLUTION) {
            throw new UserError("training sweeps score with SWD, which needs models of at least " + Swd.MIN_RESOLUTION
                    + " px (this one is " + resolution + ")");
        }
        DatasetSwd swd = new DatasetSwd(data, resolution, images, seed);
        return g -> Map.of("swd_x1e3", swd.of(g));
    }
}
