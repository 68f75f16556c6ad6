package io.ukiyoe.swap;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.Range;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code kind: blend} — blend a base model with a model fine-tuned from it. */
public record BlendConfig(
        @Default("null") String name,                     // suffix of the run folder name; none by default
        Path base,                                        // the original model, e.g. FFHQ (alpha 0)
        Path target,                                      // the model fine-tuned from it, e.g. ukiyo-e (alpha 1)
        Schedule schedule,                                // alpha per synthesis layer
        @Default("base") BlendOptions.Source mapping,     // mapping network: base | target | blend (uniform only)
        @Default("null") BlendOptions.Source wAvg,        // truncation centre; null = follow mapping
        @Default("base") BlendOptions.Side noise,         // constant noise maps: base | target
        @Default("base") BlendOptions.DiscriminatorChoice discriminator, // base | target | drop
        @Default("{}") @Range(min = 0, max = 1) Map<String, Double> layers, // glob -> alpha, later globs win
        Path out,                                         // the blended model file
        @Default("null") Preview preview) {               // optional preview grid

    /** Per seed: base | target | blended, same latent and noise. */
    public record Preview(
            @Default("0-7") Seeds seeds,                  // rows of the grid
            @Default("0.7") @Range(min = 0, max = 1) double truncation, // psi towards each model's w_avg
            @Default("null") Path grid) {}                // PNG to write; null = preview.png in the run folder

    public BlendOptions options() {
        return new BlendOptions(schedule, mapping, wAvg, noise, discriminator, layers);
    }

    /** Schedule parameters that the flat spelling puts at the top level. */
    public static final List<String> FLAT_KEYS = List.of("resolution", "width", "level", "start", "end", "alpha", "alphas");

    /**
     * Accepts the flat spelling of the blend fixtures ({@code schedule: sigmoid} with {@code resolution},
     * {@code width}, ... beside it) by moving those keys into the schedule mapping.
     */
    public static Node.Mapping normalize(Node.Mapping root) {
        Node s = root.get("schedule");
        if (!(s instanceof Node.Scalar scalar) || scalar.type() != Node.ScalarType.STRING) {
            return root;
        }
        LinkedHashMap<String, Node.Mapping.Entry> sched = new LinkedHashMap<>();
        sched.put("type", new Node.Mapping.Entry(new Node.Key("type", scalar.pos()), scalar));
        LinkedHashMap<String, Node.Mapping.Entry> top = new LinkedHashMap<>();
        root.entries().forEach((k, e) -> {
            if (FLAT_KEYS.contains(k)) {
                sched.put(k, e);
            } else {
                top.put(k, e);
            }
        });
        Node.Mapping.Entry old = root.entries().get("schedule");
        top.put("schedule", new Node.Mapping.Entry(old.key(), new Node.Mapping(scalar.pos(), sched)));
        return new Node.Mapping(root.pos(), top);
    }
}
