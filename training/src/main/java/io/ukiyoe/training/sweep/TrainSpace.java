package io.ukiyoe.training.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * An Arbiter parameter space whose values are a candidate's settings: {@code --set}-style overrides of
 * the train config ({@code training.learning_rate} -> {@code 0.001}, ...), in a fixed order. Settings
 * with one value are fixed overrides; only those with several become Arbiter leaves.
 */
final class TrainSpace extends io.ukiyoe.core.sweep.CompositeSpace<Map<String, String>> {
    private final Map<String, Function<double[], String>> settings = new LinkedHashMap<>();

    TrainSpace(TrainSweepConfig.Space s) {
        add("training.learning_rate", s.learningRate());
        add("training.r1_gamma", s.r1Gamma());
        add("freeze.generator_up_to", s.freezeGeneratorUpTo());
        add("training.augment.target", s.adaTarget());
        add("training.kimg", s.kimg());
        indexLeaves();
    }

    private void add(String key, List<? extends Number> values) {
        if (values.isEmpty()) {
            return;
        }
        // plain decimals ("0.0005", not "5.0E-4"), which read back as YAML numbers
        List<String> text = values.stream()
                .map(v -> new java.math.BigDecimal(v.toString()).stripTrailingZeros().toPlainString()).toList();
        if (text.size() == 1) {
            settings.put(key, in -> text.get(0));
            return;
        }
        DiscreteParameterSpace<String> p = new DiscreteParameterSpace<>(text.toArray(String[]::new));
        leaf(p);
        settings.put(key, p::getValue);
    }

    @Override
    public Map<String, String> getValue(double[] in) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, f) -> out.put(k, f.apply(in)));
        return out;
    }
}
