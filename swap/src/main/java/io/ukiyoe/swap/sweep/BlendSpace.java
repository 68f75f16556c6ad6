package io.ukiyoe.swap.sweep;

import io.ukiyoe.swap.Schedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * An Arbiter parameter space whose values are blend {@link Schedule}s: the schedule type, resolution
 * and level are discrete; sigmoid width, uniform alpha and the per-resolution alphas of a table are
 * continuous. Only dimensions that some chosen schedule type uses, and that have more than one
 * value, become Arbiter leaves, so grids do not repeat candidates.
 */
public final class BlendSpace extends io.ukiyoe.core.sweep.CompositeSpace<Schedule> {
    private final Function<double[], String> type;
    private final Function<double[], Integer> resolution;
    private final Function<double[], Integer> end;
    private final Function<double[], Integer> level;
    private final Function<double[], Double> width;
    private final Function<double[], Double> alpha;
    private final Map<Integer, Function<double[], Double>> table = new LinkedHashMap<>();

    public BlendSpace(SweepConfig.Space s, int maxResolution) {
        List<Integer> all = Schedule.resolutions(maxResolution);
        List<Integer> res = s.resolutions().isEmpty() ? all : s.resolutions();
        List<String> t = s.schedules();
        type = discrete(t);
        boolean needsRes = t.stream().anyMatch(x -> !x.equals("uniform") && !x.equals("table"));
        resolution = needsRes ? discrete(res) : in -> null;
        end = t.contains("linear") ? discrete(res) : in -> null;
        level = t.contains("sigmoid") || t.contains("swap-pinkney") ? discrete(s.levels()) : in -> 0;
        width = t.contains("sigmoid") ? continuous(s.width()) : in -> 1.0;
        alpha = t.contains("uniform") ? continuous(s.alpha()) : in -> 0.0;
        if (t.contains("table")) {
            for (int r : all) {
                table.put(r, continuous(s.alpha()));
            }
        }
        indexLeaves();
    }

    private <T> Function<double[], T> discrete(List<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an empty list in the search space");
        }
        if (values.size() == 1) {
            T only = values.get(0);
            return in -> only;
        }
        @SuppressWarnings("unchecked")
        DiscreteParameterSpace<T> p = new DiscreteParameterSpace<>((T[]) values.toArray());
        leaf(p);
        return p::getValue;
    }

    private Function<double[], Double> continuous(SweepConfig.Interval i) {
        if (i.min() == i.max()) {
            return in -> i.min();
        }
        ContinuousParameterSpace p = new ContinuousParameterSpace(i.min(), i.max());
        leaf(p);
        return p::getValue;
    }

    @Override
    public Schedule getValue(double[] in) {
        return switch (type.apply(in)) {
            case "swap" -> new Schedule.Swap(resolution.apply(in));
            case "swap-pinkney" -> new Schedule.SwapPinkney(resolution.apply(in), level.apply(in));
            case "sigmoid" -> new Schedule.Sigmoid(resolution.apply(in), width.apply(in), level.apply(in));
            case "linear" -> {
                int r = resolution.apply(in);
                int e = end.apply(in);
                yield e == r ? new Schedule.Swap(r) : new Schedule.Linear(Math.min(r, e), Math.max(r, e));
            }
            case "uniform" -> new Schedule.Uniform(alpha.apply(in));
            case "table" -> {
                Map<Integer, Double> a = new LinkedHashMap<>();
                table.forEach((k, v) -> a.put(k, v.apply(in)));
                yield new Schedule.Table(a);
            }
            default -> throw new IllegalArgumentException("unknown schedule type " + type.apply(in));
        };
    }
}
