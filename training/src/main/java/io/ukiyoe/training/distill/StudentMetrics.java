package io.ukiyoe.training.distill;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Metrics of the student's translations at a snapshot ({@code snapshots.metrics}: FID / KID), computed
 * outside the training module: the cli passes eval's Inception metrics in, so training needs no eval.
 */
@FunctionalInterface
public interface StudentMetrics {
    /** None: the job logs its held-out errors only. */
    StudentMetrics NONE = (translations, targets) -> Map.of();

    /**
     * Name -> value of the student's translations of the held-out A images against the held-out B images
     * (the blended model's): both {@code [n, 3, R, R]} in [-1, 1], pair by pair in the same order; the
     * targets are the same array at every snapshot.
     */
    Map<String, Double> of(INDArray translations, INDArray targets);
}
