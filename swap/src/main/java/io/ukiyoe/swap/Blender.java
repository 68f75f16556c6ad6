package io.ukiyoe.swap;

import io.ukiyoe.core.io.Csv;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Blends two StyleGAN2 models of the same architecture tensor by tensor:
 * {@code out = (1 - a) * base + a * target}, with a from the schedule for synthesis layers and from
 * the options for the mapping network, w_avg, noise maps and discriminator. Everything happens in
 * memory, so sweeps can blend many candidates without touching disk.
 */
public final class Blender {
    private Blender() {}

    /** One row of the blend report. */
    public record Entry(String name, double alpha, String source, String kind, Integer resolution, Integer level,
                        Integer position) {}

    public record Result(StyleGanModel model, List<Entry> report) {}

    /** Every difference that makes two models unblendable: config, missing names, shapes. */
    /**
     * A one-line error unless the two models have the same architecture and tensors: the first three
     * differences and how many there are in all.
     */
    public static void requireCompatible(Object baseName, Object targetName, StyleGanModel base, StyleGanModel target) {
        List<String> bad = mismatches(base, target);
        if (!bad.isEmpty()) {
            int shown = Math.min(3, bad.size());
            throw new io.ukiyoe.core.UserError("cannot blend " + baseName + " with " + targetName + ": " + bad.size()
                    + " mismatch" + (bad.size() == 1 ? "" : "es") + ": " + String.join("; ", bad.subList(0, shown))
                    + (bad.size() > shown ? "; and " + (bad.size() - shown) + " more" : ""), 1, null);
        }
    }

    public static List<String> mismatches(StyleGanModel base, StyleGanModel target) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(base.config(), target.config())) {
            out.add("architecture differs: base " + StyleGanModel.configJson(base.config()) + " vs target "
                    + StyleGanModel.configJson(target.config()));
        }
        for (var e : base.tensors().entrySet()) {
            if (Names.isDiscriminator(e.getKey())) {
                continue; // discriminators are copied, not blended
            }
            Tensor t = target.tensors().get(e.getKey());
            if (t == null) {
                out.add(e.getKey() + ": missing in target");
            } else if (!e.getValue().sameShape(t)) {
                out.add(e.getKey() + ": shape " + e.getValue().shapeString() + " vs " + t.shapeString());
            }
        }
        for (String k : target.tensors().keySet()) {
            if (!Names.isDiscriminator(k) && !base.tensors().containsKey(k)) {
                out.add(k + ": missing in base");
            }
        }
        return out;
    }

    /**
     * Problems with the schedule for a model of output size {@code maxRes}, keyed by config path
     * (e.g. {@code schedule.resolution}).
     */
    public static Map<String, String> scheduleProblems(Schedule s, BlendOptions o, int maxRes, Iterable<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Integer> allowed = Schedule.resolutions(maxRes);
        s.namedResolutions().forEach((key, r) -> {
            if (!allowed.contains(r)) {
                out.put("schedule." + key, "must be one of " + allowed.toString().replaceAll("[\\[\\]]", "")
                        + " (the model's resolutions), got " + r);
            }
        });
        if (s instanceof Schedule.Table t) {
            List<Integer> missing = allowed.stream().filter(r -> !t.alphas().containsKey(r)).toList();
            if (!missing.isEmpty()) {
                out.put("schedule.alphas", "needs an alpha for every resolution " + allowed.toString()
                        .replaceAll("[\\[\\]]", "") + "; missing " + missing.toString().replaceAll("[\\[\\]]", ""));
            }
        }
        for (var e : o.layers().entrySet()) {
            if (e.getValue() < 0 || e.getValue() > 1) {
                out.put("layers." + e.getKey(), "must be a number in [0, 1], got " + e.getValue());
                continue;
            }
            Pattern p = LayerAddress.glob(e.getKey());
            boolean hit = false;
            for (String n : names) {
                if (p.matcher(n).matches() && LayerAddress.of(n).part() == LayerAddress.Part.SYNTHESIS) {
                    hit = true;
                    break;
                }
            }
            if (!hit) {
                out.put("layers." + e.getKey(), "matches no synthesis parameter (e.g. synthesis/b64/** or "
                        + "synthesis/b*/torgb/*)");
            }
        }
        return out;
    }

    public static Result blend(StyleGanModel base, StyleGanModel target, BlendOptions o, Map<String, String> metadata) {
        Map<String, String> problems = scheduleProblems(o.schedule(), o, base.config().resolution(),
                base.tensors().keySet());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.entrySet().iterator().next().getKey() + ": "
                    + problems.values().iterator().next());
        }
        return blend(base, target, o, at -> o.schedule().alpha(at.resolution(), at.position()), metadata);
    }

    /**
     * The same with the synthesis alphas given per layer by a function (e.g. a continuously sliding
     * sigmoid for videos); the options' schedule then only decides what "blend" means for the mapping.
     */
    public static Result blend(StyleGanModel base, StyleGanModel target, BlendOptions o,
                               java.util.function.ToDoubleFunction<LayerAddress> synthesisAlpha,
                               Map<String, String> metadata) {
        requireCompatible("the base", "the target", base, target);
        List<Map.Entry<Pattern, Double>> overrides = new ArrayList<>();
        o.layers().forEach((g, a) -> overrides.add(Map.entry(LayerAddress.glob(g), a)));
        double uniform = o.schedule() instanceof Schedule.Uniform u ? u.alpha() : Double.NaN;

        Map<String, Tensor> out = new LinkedHashMap<>();
        List<Entry> report = new ArrayList<>();
        for (var e : base.tensors().entrySet()) {
            String name = e.getKey();
            LayerAddress at = LayerAddress.of(name);
            double alpha;
            String kind = "parameter";
            switch (at.part()) {
                case MAPPING -> alpha = sourceAlpha(o.mapping(), uniform);
                case W_AVG -> {
                    alpha = sourceAlpha(o.effectiveWAvg(), uniform);
                    kind = "buffer";
                }
                case NOISE -> {
                    alpha = o.noise() == BlendOptions.Side.TARGET ? 1 : 0;
                    kind = "buffer";
                }
                case SYNTHESIS -> {
                    alpha = synthesisAlpha.applyAsDouble(at);
                    for (var ov : overrides) {
                        if (ov.getKey().matcher(name).matches()) {
                            alpha = ov.getValue();
                        }
                    }
                }
                default -> {
                    continue; // discriminator: below
                }
            }
            out.put(name, mix(e.getValue(), target.tensor(name), alpha));
            report.add(new Entry(name, alpha, alpha == 0 ? "base" : alpha == 1 ? "target" : "blend", kind,
                    at.resolution(), at.level(), at.position()));
        }
        StyleGanModel dSource = switch (o.discriminator()) {
            case BASE -> base;
            case TARGET -> target;
            case DROP -> null;
        };
        if (dSource != null && dSource.hasDiscriminator()) {
            String side = dSource == base ? "base" : "target";
            dSource.tensors().forEach((k, t) -> {
                if (Names.isDiscriminator(k)) {
                    out.put(k, t);
                    report.add(new Entry(k, side.equals("base") ? 0 : 1, side, "discriminator", null, null, null));
                }
            });
        }
        return new Result(new StyleGanModel(base.config(), out, metadata), report);
    }

    private static double sourceAlpha(BlendOptions.Source s, double uniform) {
        return switch (s) {
            case BASE -> 0;
            case TARGET -> 1;
            case BLEND -> uniform;
        };
    }

    /**
     * float32(1 - a) * base + float32(a) * target in float32 (products rounded, then the sum, no FMA);
     * alpha 0 and 1 copy a side exactly.
     */
    static Tensor mix(Tensor base, Tensor target, double alpha) {
        if (alpha == 0) {
            return base;
        }
        if (alpha == 1) {
            return target;
        }
        float wa = (float) (1 - alpha);
        float wb = (float) alpha;
        float[] a = base.data();
        float[] b = target.data();
        float[] o = new float[a.length];
        for (int i = 0; i < o.length; i++) {
            float x = wa * a[i];
            float y = wb * b[i];
            o[i] = x + y;
        }
        return new Tensor(base.shape(), o);
    }

    /** The report as CSV: name, alpha, source, kind, resolution, level, position. */
    public static String reportCsv(List<Entry> report) {
        StringBuilder sb = new StringBuilder("name,alpha,source,kind,resolution,level,position\n");
        for (Entry e : report) {
            sb.append(Csv.plainRow(e.name(), e.alpha(), e.source(), e.kind(), e.resolution(), e.level(), e.position()))
                    .append('\n');
        }
        return sb.toString();
    }

}
