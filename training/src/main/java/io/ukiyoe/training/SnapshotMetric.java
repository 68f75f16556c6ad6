package io.ukiyoe.training;

import java.util.Map;

/**
 * Figures of a model taken while it trains (FID, KID, a student's FID, ...): computed outside
 * {@code training} (the metrics live in {@code eval}) and handed to a job by whoever wires it (the CLI),
 * so that training does not depend on the metrics module. One call may compute several figures that
 * share work (FID and KID share the generated images' features).
 *
 * @param <M> what is measured: a StyleGAN2 {@code Generator}, a distilled student, ...
 */
@FunctionalInterface
public interface SnapshotMetric<M> {
    /** The figures of the model by name, as metrics.jsonl and TensorBoard record them (e.g. fid, kid_x1e3). */
    Map<String, Double> score(M model);

    /** No figures: what a job takes when its config asks for none. */
    static <M> SnapshotMetric<M> none() {
        return model -> Map.of();
    }
}
