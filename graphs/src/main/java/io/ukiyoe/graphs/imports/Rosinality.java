package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.pickle.Pickles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** rosinality/stylegan2-pytorch checkpoints: {@code g_ema}, top-level {@code latent_avg}, optional {@code d}. */
final class Rosinality {
    private static final Pattern STYLE = Pattern.compile("style\\.(\\d+)\\.(weight|bias)");
    private static final Pattern CONVS = Pattern.compile("convs\\.(\\d+)\\.(.+)");
    private static final Pattern TO_RGBS = Pattern.compile("to_rgbs\\.(\\d+)\\.(.+)");
    private static final Pattern NOISE = Pattern.compile("noises\\.noise_(\\d+)");
    private static final Pattern D_CONVS = Pattern.compile("convs\\.(\\d+)\\.(.+)");

    private Rosinality() {}

    static Importer.Converted convert(Object root) {
        if (!(root instanceof Map<?, ?> top) || !(top.get("g_ema") instanceof Map<?, ?> g)) {
            throw new IllegalArgumentException("not a rosinality checkpoint: no 'g_ema' state dict");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : g.entrySet()) {
            generator(String.valueOf(e.getKey()), Pickles.tensor("g_ema." + e.getKey(), e.getValue()), out);
        }
        Object avg = top.get("latent_avg");
        if (avg != null) {
            Tensor a = Pickles.tensor("latent_avg", avg);
            out.put(Names.W_AVG, a.reshape(a.numel()));
        }
        if (top.get("d") instanceof Map<?, ?> d) {
            int res = out.keySet().stream().mapToInt(Names::synthesisResolution).max().orElseThrow();
            for (var e : d.entrySet()) {
                discriminator(String.valueOf(e.getKey()), Pickles.tensor("d." + e.getKey(), e.getValue()), res, out);
            }
        }
        return new Importer.Converted(out, null, null, 4, 1, 0.01);
    }

    private static void generator(String key, Tensor t, Map<String, Tensor> out) {
        Matcher m;
        if ((m = STYLE.matcher(key)).matches()) {
            out.put(Names.fc(Integer.parseInt(m.group(1)) - 1, m.group(2)), t);
        } else if (key.equals("input.input")) {
            out.put(Names.block(4) + "/const", Importer.squeezeTo(t, 3));
        } else if (key.startsWith("conv1.")) {
            styledConv(Names.layer(4, "conv1"), key.substring("conv1.".length()), t, out);
        } else if ((m = CONVS.matcher(key)).matches()) {
            int i = Integer.parseInt(m.group(1));
            int res = 1 << (i / 2 + 3);
            styledConv(Names.layer(res, i % 2 == 0 ? "conv0" : "conv1"), m.group(2), t, out);
        } else if (key.startsWith("to_rgb1.")) {
            toRgb(Names.layer(4, "torgb"), key.substring("to_rgb1.".length()), t, out);
        } else if ((m = TO_RGBS.matcher(key)).matches()) {
            toRgb(Names.layer(1 << (Integer.parseInt(m.group(1)) + 3), "torgb"), m.group(2), t, out);
        } else if ((m = NOISE.matcher(key)).matches()) {
            out.put(Names.noiseOfLayer(Integer.parseInt(m.group(1))), Importer.squeezeTo(t, 2));
        } else {
            throw new IllegalArgumentException("unexpected g_ema tensor '" + key + "'");
        }
    }

    private static void styledConv(String layer, String rest, Tensor t, Map<String, Tensor> out) {
        switch (rest) {
            case "conv.weight" -> out.put(layer + "/weight", Importer.squeezeTo(t, 4));
            case "conv.modulation.weight" -> out.put(layer + "/affine/weight", t);
            case "conv.modulation.bias" -> out.put(layer + "/affine/bias", t);
            case "noise.weight" -> out.put(layer + "/noise_strength", t.reshape());
            case "activate.bias" -> out.put(layer + "/bias", t);
            case "conv.blur.kernel" -> checkFir(layer, t);
            default -> throw new IllegalArgumentException("unexpected tensor '" + rest + "' in " + layer);
        }
    }

    private static void toRgb(String layer, String rest, Tensor t, Map<String, Tensor> out) {
        switch (rest) {
            case "conv.weight" -> out.put(layer + "/weight", Importer.squeezeTo(t, 4));
            case "conv.modulation.weight" -> out.put(layer + "/affine/weight", t);
            case "conv.modulation.bias" -> out.put(layer + "/affine/bias", t);
            case "bias" -> out.put(layer + "/bias", t.reshape(t.numel()));
            case "upsample.kernel" -> checkFir(layer, t);
            default -> throw new IllegalArgumentException("unexpected tensor '" + rest + "' in " + layer);
        }
    }

    private static void checkFir(String where, Tensor t) {
        if (!Fir.isStandard(t)) {
            throw new IllegalArgumentException(where + ": only the [1,3,3,1] blur kernel is supported");
        }
    }

    private static void discriminator(String key, Tensor t, int top, Map<String, Tensor> out) {
        Matcher m;
        if (key.equals("convs.0.0.weight")) {
            out.put(Names.disc(top, "fromrgb/weight"), t);
        } else if (key.equals("convs.0.1.bias")) {
            out.put(Names.disc(top, "fromrgb/bias"), t);
        } else if ((m = D_CONVS.matcher(key)).matches()) {
            int res = top >> (Integer.parseInt(m.group(1)) - 1);
            String layer = switch (m.group(2)) {
                case "conv1.0.weight" -> "conv0/weight";
                case "conv1.1.bias" -> "conv0/bias";
                case "conv2.1.weight" -> "conv1/weight";
                case "conv2.2.bias" -> "conv1/bias";
                case "skip.1.weight" -> "skip/weight";
                case "conv2.0.kernel", "skip.0.kernel" -> {
                    checkFir("d." + key, t);
                    yield null;
                }
                default -> throw new IllegalArgumentException("unexpected d tensor '" + key + "'");
            };
            if (layer != null) {
                out.put(Names.disc(res, layer), t);
            }
        } else {
            String layer = switch (key) {
                case "final_conv.0.weight" -> "conv/weight";
                case "final_conv.1.bias" -> "conv/bias";
                case "final_linear.0.weight" -> "fc/weight";
                case "final_linear.0.bias" -> "fc/bias";
                case "final_linear.1.weight" -> "out/weight";
                case "final_linear.1.bias" -> "out/bias";
                default -> throw new IllegalArgumentException("unexpected d tensor '" + key + "'");
            };
            out.put(Names.disc(4, layer), t);
        }
    }
}
