package io.ukiyoe.eval.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.InMemoryResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * What every ukiyoe sweep shares: Arbiter's {@link LocalOptimizationRunner} driving a candidate
 * generator, one candidate at a time, stopping after a number of candidates or minutes, with the
 * sweep's own code scoring each candidate (Arbiter's model/data/score-function roles do not fit
 * blends or training runs, so they are placeholders here).
 */
public final class ArbiterSweep {
    private ArbiterSweep() {}

    /** A candidate's objective (lower is better), or null and why it failed. */
    public record Outcome(Double objective, String error) {}

    /** Scores one candidate; a sweep records it (results.csv) before returning. */
    public interface Evaluator {
        Outcome evaluate(Candidate candidate);
    }

    /** Runs until {@code candidates} candidates or {@code maxMinutes} (null: no limit). */
    public static void run(CandidateGenerator generator, int candidates, Double maxMinutes, long seed, Evaluator evaluator) {
        List<TerminationCondition> stop = new ArrayList<>();
        stop.add(new MaxCandidatesCondition(candidates));
        if (maxMinutes != null) {
            stop.add(new MaxTimeCondition(Math.max(1, Math.round(maxMinutes * 60)), TimeUnit.SECONDS));
        }
        OptimizationConfiguration conf = new OptimizationConfiguration.Builder().candidateGenerator(generator)
                .dataProvider(new NoData()).modelSaver(new InMemoryResultSaver()).scoreFunction(minimize())
                .terminationConditions(stop).rngSeed(seed).build();
        new LocalOptimizationRunner(1, conf, new Tasks(evaluator)).execute();
    }

    /** The score function generators that rank candidates need (genetic search): lower is better. */
    public static ScoreFunction minimize() {
        return new Minimize();
    }

    private record Tasks(Evaluator evaluator) implements TaskCreator {
        @Override
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider data, ScoreFunction score,
                                                   List<StatusListener> listeners, IOptimizationRunner runner) {
            return () -> {
                long start = System.currentTimeMillis();
                Outcome o = evaluator.evaluate(candidate);
                CandidateInfo info = new CandidateInfo(candidate.getIndex(), o.objective() == null ? CandidateStatus.Failed
                        : CandidateStatus.Complete, o.objective(), start, start, System.currentTimeMillis(),
                        candidate.getFlatParameters(), o.error());
                return new OptimizationResult(candidate, o.objective(), candidate.getIndex(), null, info, null);
            };
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                                   Properties props, ScoreFunction score, List<StatusListener> listeners,
                                                   IOptimizationRunner runner) {
            return create(candidate, (DataProvider) null, score, listeners, runner);
        }
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

    /** Candidates read their own inputs: Arbiter passes none. */
    private static final class NoData implements DataProvider {
        @Override
        public Object trainData(Map<String, Object> params) {
            return null;
        }

        @Override
        public Object testData(Map<String, Object> params) {
            return null;
        }

        @Override
        public Class<?> getDataType() {
            return Object.class;
        }
    }
}
