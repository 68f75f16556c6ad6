package io.ukiyoe.swap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to blend and how: the schedule, where the non-synthesis parts come from, and per-tensor
 * alpha overrides (glob -> alpha, applied in order, later globs win).
 */
public record BlendOptions(
        Schedule schedule,                  // alpha per synthesis layer
        Source mapping,                     // mapping network: base | target | blend (blend only with uniform)
        Source wAvg,                        // truncation centre; null = follow the mapping choice
        Side noise,                         // constant noise maps: base | target
        DiscriminatorChoice discriminator,  // base | target | drop
        Map<String, Double> layers) {       // glob over canonical names -> alpha

    public BlendOptions {
        layers = layers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        if (mapping == Source.BLEND && !(schedule instanceof Schedule.Uniform)) {
            throw new IllegalArgumentException("mapping: blend needs the uniform schedule");
        }
        if (wAvg == Source.BLEND && !(schedule instanceof Schedule.Uniform)) {
            throw new IllegalArgumentException("w_avg: blend needs the uniform schedule");
        }
    }

    /** Just a schedule, with the spec's defaults for everything else. */
    public static BlendOptions of(Schedule schedule) {
        return new BlendOptions(schedule, Source.BASE, null, Side.BASE, DiscriminatorChoice.BASE, Map.of());
    }

    /** The w_avg source in effect. */
    public Source effectiveWAvg() {
        return wAvg != null ? wAvg : mapping;
    }

    public enum Source { BASE, TARGET, BLEND }

    public enum Side { BASE, TARGET }

    public enum DiscriminatorChoice { BASE, TARGET, DROP }
}
