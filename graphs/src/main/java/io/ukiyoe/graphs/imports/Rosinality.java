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

    /**
     * Where a rosinality tensor goes: its canonical name and the rank it has there (-1: as stored;
     * 0 and 1: flattened, other ranks: leading 1s dropped). A null slot is a derived FIR filter buffer.
     * The exporter ({@link RosinalityExport}) inverts exactly this mapping, so it is the only name table.
     */
    record Slot(String name, int rank) {
        Tensor toCanonical(Tensor t) {
            return switch (rank) {
                case -1 -> t;
                case 0 -> t.reshape();
                case 1 -> t.reshape(t.numel());
                default -> Importer.squeezeTo(t, rank);
            };
        }
    }

    static Importer.Converted convert(Object root) {
        if (!(root instanceof Map<?, ?> top) || !(top.get("g_ema") instanceof Map<?, ?> g)) {
            throw new IllegalArgumentException("not a rosinality checkpoint: no 'g_ema' state dict");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : g.entrySet()) {
            String key = String.valueOf(e.getKey());
            put(generatorSlot(key), "g_ema." + key, Pickles.tensor("g_ema." + key, e.getValue()), out);
        }
        Object avg = top.get("latent_avg");
        if (avg != null) {
            Tensor a = Pickles.tensor("latent_avg", avg);
            out.put(Names.W_AVG, a.reshape(a.numel()));
        }
        if (top.get("d") instanceof Map<?, ?> d) {
            int res = out.keySet().stream().mapToInt(Names::synthesisResolution).max().orElseThrow();
            for (var e : d.entrySet()) {
                String key = String.valueOf(e.getKey());
                put(discriminatorSlot(key, res), "d." + key, Pickles.tensor("d." + key, e.getValue()), out);
            }
        }
        return new Importer.Converted(out, null, null, 4, 1, 0.01);
    }

    private static void put(Slot slot, String key, Tensor t, Map<String, Tensor> out) {
        if (slot == null) {
            if (!Fir.isStandard(t)) {
                throw new IllegalArgumentException(key + ": only the [1,3,3,1] blur kernel is supported");
            }
        } else {
            out.put(slot.name(), slot.toCanonical(t));
        }
    }

    /** The slot of a {@code g_ema} key; an unknown key is an error naming it. */
    static Slot generatorSlot(String key) {
        Matcher m;
        if ((m = STYLE.matcher(key)).matches()) {
            return new Slot(Names.fc(Integer.parseInt(m.group(1)) - 1, m.group(2)), -1);
        } else if (key.equals("input.input")) {
            return new Slot(Names.block(4) + "/const", 3);
        } else if (key.startsWith("conv1.")) {
            return styledConv(Names.layer(4, "conv1"), key.substring("conv1.".length()));
        } else if ((m = CONVS.matcher(key)).matches()) {
            int i = Integer.parseInt(m.group(1));
            int res = 1 << (i / 2 + 3);
            return styledConv(Names.layer(res, i % 2 == 0 ? "conv0" : "conv1"), m.group(2));
        } else if (key.startsWith("to_rgb1.")) {
            return toRgb(Names.layer(4, "torgb"), key.substring("to_rgb1.".length()));
        } else if ((m = TO_RGBS.matcher(key)).matches()) {
            return toRgb(Names.layer(1 << (Integer.parseInt(m.group(1)) + 3), "torgb"), m.group(2));
        } else if ((m = NOISE.matcher(key)).matches()) {
            return new Slot(Names.noiseOfLayer(Integer.parseInt(m.group(1))), 2);
        }
        throw new IllegalArgumentException("unexpected g_ema tensor '" + key + "'");
    }

    private static Slot styledConv(String layer, String rest) {
        return switch (rest) {
            case "conv.weight" -> new Slot(layer + "/weight", 4);
            case "conv.modulation.weight" -> new Slot(layer + "/affine/weight", -1);
            case "conv.modulation.bias" -> new Slot(layer + "/affine/bias", -1);
            case "noise.weight" -> new Slot(Names.noiseStrength(layer), 0);
            case "activate.bias" -> new Slot(layer + "/bias", -1);
            case "conv.blur.kernel" -> null;
            default -> throw new IllegalArgumentException("unexpected tensor '" + rest + "' in " + layer);
        };
    }

    private static Slot toRgb(String layer, String rest) {
        return switch (rest) {
            case "conv.weight" -> new Slot(layer + "/weight", 4);
            case "conv.modulation.weight" -> new Slot(layer + "/affine/weight", -1);
            case "conv.modulation.bias" -> new Slot(layer + "/affine/bias", -1);
            case "bias" -> new Slot(layer + "/bias", 1);
            case "upsample.kernel" -> null;
            default -> throw new IllegalArgumentException("unexpected tensor '" + rest + "' in " + layer);
        };
    }

    /** The slot of a {@code d} key of a discriminator for {@code top}-pixel images. */
    static Slot discriminatorSlot(String key, int top) {
        Matcher m;
        if (key.equals("convs.0.0.weight")) {
            return new Slot(Names.disc(top, "fromrgb/weight"), -1);
        } else if (key.equals("convs.0.1.bias")) {
            return new Slot(Names.disc(top, "fromrgb/bias"), -1);
        } else if ((m = D_CONVS.matcher(key)).matches()) {
            int res = top >> (Integer.parseInt(m.group(1)) - 1);
            String layer = switch (m.group(2)) {
                case "conv1.0.weight" -> "conv0/weight";
                case "conv1.1.bias" -> "conv0/bias";
                case "conv2.1.weight" -> "conv1/weight";
                case "conv2.2.bias" -> "conv1/bias";
                case "skip.1.weight" -> "skip/weight";
                case "conv2.0.kernel", "skip.0.kernel" -> null;
                default -> throw new IllegalArgumentException("unexpected d tensor '" + key + "'");
            };
            return layer == null ? null : new Slot(Names.disc(res, layer), -1);
        }
        String layer = switch (key) {
            case "final_conv.0.weight" -> "conv/weight";
            case "final_conv.1.bias" -> "conv/bias";
            case "final_linear.0.weight" -> "fc/weight";
            case "final_linear.0.bias" -> "fc/bias";
            case "final_linear.1.weight" -> "out/weight";
            case "final_linear.1.bias" -> "out/bias";
            default -> throw new IllegalArgumentException("unexpected d tensor '" + key + "'");
        };
        return new Slot(Names.disc(4, layer), -1);
    }
}
