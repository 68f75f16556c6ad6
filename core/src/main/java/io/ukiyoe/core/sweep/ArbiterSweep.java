package io.ukiyoe.core.sweep;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;

/**
 * What every ukiyoe sweep shares: an Arbiter candidate generator drawn in batches (one candidate at a
 * time in this JVM; as many as a cluster runs at once with {@code --spark}), each batch scored by the
 * sweep's own code, every outcome reported back to the generator (genetic search learns from it), until
 * a number of candidates or minutes. This is {@code LocalOptimizationRunner}'s loop with batches: its
 * model, data and score-function roles do not fit blends or training runs.
 */
public final class ArbiterSweep {
    private ArbiterSweep() {}

    /** A candidate's objective (lower is better), or null and why it failed. */
    public record Outcome(Double objective, String error) {}

    /** Scores one candidate; a sweep records it (results.csv) before returning. */
    public interface Evaluator {
        Outcome evaluate(Candidate candidate);
    }

    /** Scores a batch of candidates (outcomes in the batch's order); a sweep records them before returning. */
    public interface BatchEvaluator {
        List<Outcome> evaluate(List<Candidate> batch);
    }

    /** One candidate at a time, until {@code candidates} candidates or {@code maxMinutes} (null: no limit). */
    public static void run(CandidateGenerator generator, int candidates, Double maxMinutes, Evaluator evaluator) {
        run(generator, candidates, maxMinutes, 1, batch -> batch.stream().map(evaluator::evaluate).toList());
    }

    /** Batches of up to {@code batchSize} candidates, until {@code candidates} candidates or {@code maxMinutes}. */
    public static void run(CandidateGenerator generator, int candidates, Double maxMinutes, int batchSize,
                           BatchEvaluator evaluator) {
        long deadline = maxMinutes == null ? Long.MAX_VALUE
                : System.nanoTime() + Math.max(1, Math.round(maxMinutes * 60)) * 1_000_000_000L;
        int drawn = 0;
        while (drawn < candidates && generator.hasMoreCandidates() && System.nanoTime() < deadline) {
            List<Candidate> batch = new java.util.ArrayList<>();
            while (batch.size() < batchSize && drawn < candidates && generator.hasMoreCandidates()) {
                batch.add(generator.getCandidate());
                drawn++;
            }
            long start = System.currentTimeMillis();
            List<Outcome> outcomes = evaluator.evaluate(batch);
            long end = System.currentTimeMillis();
            for (int i = 0; i < batch.size(); i++) {
                Candidate c = batch.get(i);
                Outcome o = outcomes.get(i);
                CandidateInfo info = new CandidateInfo(c.getIndex(), o.objective() == null ? CandidateStatus.Failed
                        : CandidateStatus.Complete, o.objective(), start, start, end, c.getFlatParameters(), o.error());
                generator.reportResults(new OptimizationResult(c, o.objective(), c.getIndex(), null, info, null));
            }
        }
    }

    /** The score function generators that rank candidates need (genetic search): lower is better. */
    public static ScoreFunction minimize() {
        return new Minimize();
    }

    /** Lower objective is better; the score is computed by the sweep's evaluator. */
    private static final class Minimize implements ScoreFunction {
        @Override
        public double score(Object model, DataProvider data, Map<String, Object> params) {
            throw new UnsupportedOperationException("scored by the sweep's evaluator");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> data, Properties props) {
            throw new UnsupportedOperationException("scored by the sweep's evaluator");
        }

        @Override
        public boolean minimize() {
            return true;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of(Object.class);
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of(Object.class);
        }
    }
}
