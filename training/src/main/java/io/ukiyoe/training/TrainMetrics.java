package io.ukiyoe.training;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.nio.file.Path;
import java.util.List;

/**
 * The metrics StyleGAN2 training and its sweeps ask for, made by the module that owns them ({@code eval},
 * wired in the CLI): training only says which figures it needs and of what.
 */
public interface TrainMetrics {
    /**
     * FID and/or KID ({@code which}: "fid", "kid") of generators against the config's data with its
     * {@code metrics} settings, as {@code fid} and {@code kid_x1e3}; checks its inputs (weights, names)
     * when made, so a bad setting fails before training starts.
     */
    SnapshotMetric<Generator> inception(TrainConfig c, List<String> which);

    /**
     * SWD x1e3 ({@code swd_x1e3}) of a generator's images (seeds 0..images-1, no truncation) against up
     * to {@code images} images of {@code data} at {@code resolution}; fails when the resolution is too
     * small for SWD or the data has no readable image.
     */
    SnapshotMetric<Generator> swd(Path data, int resolution, int images, long seed);

    /** None available: fine for configs that ask for no metric, a one-line error otherwise. */
    TrainMetrics NONE = new TrainMetrics() {
        @Override
        public SnapshotMetric<Generator> inception(TrainConfig c, List<String> which) {
            if (!which.isEmpty()) {
                throw new UserError("metrics " + which + " are not available here");
            }
            return SnapshotMetric.none();
        }

        @Override
        public SnapshotMetric<Generator> swd(Path data, int resolution, int images, long seed) {
            throw new UserError("SWD is not available here");
        }
    };
}
