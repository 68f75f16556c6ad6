package io.ukiyoe.swap;

import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.Discriminator;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.core.config.Schema.Range;
import io.ukiyoe.core.config.Schema.Variant;
import java.util.List;
import java.util.Map;

/**
 * A blend schedule (shared/spec/blend-schedules.md): the weight of the target, alpha, for each
 * synthesis layer, from its resolution r and position p = 2 log2(r/4) + level.
 */
@Discriminator("type")
public sealed interface Schedule extends java.io.Serializable permits Schedule.Swap, Schedule.SwapPinkney, Schedule.Sigmoid, Schedule.Linear,
        Schedule.Uniform, Schedule.Table {

    /** alpha of a layer at resolution {@code res} and position {@code position}. */
    double alpha(int res, int position);

    /** A short human label, e.g. "sigmoid 16 px, width 0.70, level 1". */
    String describe();

    /** The resolutions this schedule names, by config key (checked against the model). */
    Map<String, Integer> namedResolutions();

    /** Layer position of resolution r, level l. */
    static int position(int res, int level) {
        return 2 * (Integer.numberOfTrailingZeros(res) - 2) + level;
    }

    /** Hard swap: layers at resolution <= S from the base, the rest from the target. */
    @Variant("swap")
    record Swap(int resolution) implements Schedule {            // S: the last base resolution
        @Override
        public String describe() {
            return "swap at " + resolution + " px";
        }

        @Override
        public double alpha(int res, int position) {
            return res <= resolution ? 0 : 1;
        }

        @Override
        public Map<String, Integer> namedResolutions() {
            return Map.of("resolution", resolution);
        }
    }

    /** The reference blend script's hard cut, bit for bit: 1 if p - p(S, l) > 1. */
    @Variant("swap-pinkney")
    record SwapPinkney(int resolution,                           // S
                       @Default("0") @Range(min = 0, max = 1) int level) implements Schedule { // l: 0 or 1
        @Override
        public String describe() {
            return "swap-pinkney at " + resolution + " px, level " + level;
        }

        @Override
        public double alpha(int res, int position) {
            return position - position(resolution, level) > 1 ? 1 : 0;
        }

        @Override
        public Map<String, Integer> namedResolutions() {
            return Map.of("resolution", resolution);
        }
    }

    /** The reference smooth blend: 1 / (1 + exp(-(p - p(S, l)) / w)), 0.5 exactly at (S, l). */
    @Variant("sigmoid")
    record Sigmoid(int resolution,                               // S: centre resolution
                   @Positive double width,                       // w > 0: positions per e-fold
                   @Default("0") @Range(min = 0, max = 1) int level) implements Schedule { // l: centre level
        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "sigmoid at %d px, width %.2f, level %d", resolution, width, level);
        }

        @Override
        public double alpha(int res, int position) {
            return 1 / (1 + Math.exp(-(position - position(resolution, level)) / width));
        }

        @Override
        public Map<String, Integer> namedResolutions() {
            return Map.of("resolution", resolution);
        }
    }

    /** Linear in log2 r from 0 at S0 to 1 at S1, clamped. */
    @Variant("linear")
    record Linear(int start,                                     // S0: last resolution with alpha 0
                  int end) implements Schedule {                 // S1: first resolution with alpha 1
        @Override
        public String describe() {
            return "linear from " + start + " to " + end + " px";
        }

        public Linear {
            if (start >= end) {
                throw new IllegalArgumentException("linear schedule needs start < end, got " + start + " and " + end);
            }
        }

        @Override
        public double alpha(int res, int position) {
            double a = (log2(res) - log2(start)) / (log2(end) - log2(start));
            return Math.max(0, Math.min(1, a));
        }

        private static double log2(int powerOfTwo) {
            return Integer.numberOfTrailingZeros(powerOfTwo); // resolutions are checked to be powers of two
        }

        @Override
        public Map<String, Integer> namedResolutions() {
            return Map.of("start", start, "end", end);
        }
    }

    /** The same alpha everywhere: whole-model weight averaging. */
    @Variant("uniform")
    record Uniform(@Range(min = 0, max = 1) double alpha) implements Schedule { // a in [0, 1]
        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "uniform %.2f", alpha);
        }

        @Override
        public double alpha(int res, int position) {
            return alpha;
        }

        @Override
        public Map<String, Integer> namedResolutions() {
            return Map.of();
        }
    }

    /** One alpha per resolution; every resolution 4..R must be listed. */
    @Variant("table")
    record Table(@Range(min = 0, max = 1) Map<Integer, Double> alphas) implements Schedule { // resolution -> alpha
        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder("table");
            alphas.forEach((r, a) -> sb.append(String.format(java.util.Locale.ROOT, " %d:%.2f", r, a)));
            return sb.toString();
        }

        @Override
        public double alpha(int res, int position) {
            Double a = alphas.get(res);
            if (a == null) {
                throw new IllegalStateException("table has no alpha for resolution " + res);
            }
            return a;
        }

        @Override
        public Map<String, Integer> namedResolutions() {
            Map<String, Integer> m = new java.util.LinkedHashMap<>();
            alphas.keySet().forEach(r -> m.put("alphas." + r, r));
            return m;
        }
    }

    /** Resolutions a model of output size R has: 4, 8, ..., R. */
    static List<Integer> resolutions(int maxRes) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int r = 4; r <= maxRes; r *= 2) {
            out.add(r);
        }
        return out;
    }
}
