package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pickle.PyObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official NVlabs TensorFlow pickles: a tuple (G, D, Gs) of dnnlib Networks whose state holds
 * (name, numpy array) variables. Conversions to the PyTorch layouts: conv weights HWIO -> OIHW,
 * dense weights transposed, style bias + 1, up-conv kernels flipped spatially.
 */
final class TfPkl {
    private static final Pattern DENSE = Pattern.compile("Dense(\\d+)/(weight|bias)");
    private static final Pattern NOISE = Pattern.compile("noise(\\d+)");
    private static final Pattern G_LAYER = Pattern.compile("(\\d+)x\\d+/(Const|Conv|Conv0_up|Conv1|ToRGB)/(.+)");
    private static final Pattern D_LAYER = Pattern.compile("(\\d+)x\\d+/(FromRGB|Conv0|Conv1_down|Skip|Conv|Dense0)/(weight|bias)");

    private TfPkl() {}

    static Importer.Converted convert(Object root) {
        if (!(root instanceof Object[] tuple) || tuple.length != 3 || !(tuple[2] instanceof PyObject gs)
                || !isNetwork(gs)) {
            throw new IllegalArgumentException("not a TensorFlow StyleGAN2 pickle: expected a (G, D, Gs) tuple of networks");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<Object, Object> gsState = gs.stateDict();
        checkArchitecture(gsState, "skip", "generator");
        variables(gsState).forEach((k, v) -> {
            if (k.equals("dlatent_avg")) {
                out.put(Names.W_AVG, v.reshape(v.numel()));
            }
        });
        Map<?, ?> components = gsState.get("components") instanceof Map<?, ?> m ? m : Map.of();
        if (!(components.get("mapping") instanceof PyObject mapping) || !(components.get("synthesis") instanceof PyObject synthesis)) {
            throw new IllegalArgumentException("Gs lacks its mapping and synthesis components");
        }
        variables(mapping.stateDict()).forEach((k, v) -> {
            Matcher m = DENSE.matcher(k);
            if (!m.matches()) {
                throw new IllegalArgumentException("unexpected mapping variable '" + k + "'");
            }
            out.put(Names.fc(Integer.parseInt(m.group(1)), m.group(2)), m.group(2).equals("weight") ? transpose2(v) : v);
        });
        variables(synthesis.stateDict()).forEach((k, v) -> synthesisVariable(k, v, out));
        int group = 4;
        int features = 1;
        if (tuple[1] instanceof PyObject d && isNetwork(d)) {
            Map<Object, Object> dState = d.stateDict();
            checkArchitecture(dState, "resnet", "discriminator");
            if (dState.get("static_kwargs") instanceof Map<?, ?> kw) {
                if (kw.get("mbstd_group_size") instanceof Number n) {
                    group = n.intValue();
                }
                if (kw.get("mbstd_num_features") instanceof Number n) {
                    features = n.intValue();
                }
            }
            variables(dState).forEach((k, v) -> discriminatorVariable(k, v, out));
        }
        return new Importer.Converted(out, null, null, group, features, 0.01);
    }

    private static boolean isNetwork(PyObject p) {
        return p.className().equals("dnnlib.tflib.network.Network");
    }

    private static void checkArchitecture(Map<Object, Object> state, String expected, String what) {
        if (state.get("static_kwargs") instanceof Map<?, ?> kw && kw.get("architecture") != null
                && !expected.equals(kw.get("architecture"))) {
            throw new IllegalArgumentException(what + " architecture '" + kw.get("architecture")
                    + "' is not supported (only '" + expected + "')");
        }
    }

    private static Map<String, Tensor> variables(Map<Object, Object> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (state.get("variables") instanceof List<?> vars) {
            for (Object v : vars) {
                if (!(v instanceof Object[] pair) || pair.length != 2) {
                    throw new IllegalArgumentException("malformed network variable list");
                }
                out.put(String.valueOf(pair[0]), Pickles.tensor(String.valueOf(pair[0]), pair[1]));
            }
        }
        return out;
    }

    private static void synthesisVariable(String k, Tensor v, Map<String, Tensor> out) {
        Matcher n = NOISE.matcher(k);
        if (n.matches()) {
            out.put(Names.noiseOfLayer(Integer.parseInt(n.group(1))), Importer.squeezeTo(v, 2));
            return;
        }
        Matcher m = G_LAYER.matcher(k);
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected synthesis variable '" + k + "'");
        }
        int res = Integer.parseInt(m.group(1));
        String kind = m.group(2);
        String what = m.group(3);
        if (kind.equals("Const")) {
            out.put(Names.block(4) + "/const", Importer.squeezeTo(v, 3));
            return;
        }
        String layer = Names.layer(res, switch (kind) {
            case "Conv", "Conv1" -> "conv1";
            case "Conv0_up" -> "conv0";
            default -> "torgb";
        });
        switch (what) {
            case "weight" -> out.put(layer + "/weight", hwioToOihw(v, kind.equals("Conv0_up")));
            case "mod_weight" -> out.put(layer + "/affine/weight", transpose2(v));
            case "mod_bias" -> {
                float[] b = v.data().clone();
                for (int i = 0; i < b.length; i++) {
                    b[i] += 1f;
                }
                out.put(layer + "/affine/bias", new Tensor(v.shape(), b));
            }
            case "noise_strength" -> out.put(Names.noiseStrength(layer), v.reshape());
            case "bias" -> out.put(layer + "/bias", v.reshape(v.numel()));
            default -> throw new IllegalArgumentException("unexpected synthesis variable '" + k + "'");
        }
    }

    private static void discriminatorVariable(String k, Tensor v, Map<String, Tensor> out) {
        if (k.equals("Output/weight")) {
            out.put(Names.disc(4, "out/weight"), transpose2(v));
            return;
        }
        if (k.equals("Output/bias")) {
            out.put(Names.disc(4, "out/bias"), v.reshape(v.numel()));
            return;
        }
        Matcher m = D_LAYER.matcher(k);
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected discriminator variable '" + k + "'");
        }
        int res = Integer.parseInt(m.group(1));
        String layer = switch (m.group(2)) {
            case "FromRGB" -> "fromrgb";
            case "Conv0" -> "conv0";
            case "Conv1_down" -> "conv1";
            case "Skip" -> "skip";
            case "Conv" -> "conv";
            default -> "fc";
        };
        String name = Names.disc(res, layer + "/" + m.group(3));
        if (m.group(3).equals("bias")) {
            out.put(name, v.reshape(v.numel()));
        } else if (layer.equals("fc")) {
            out.put(name, transpose2(v));
        } else {
            out.put(name, hwioToOihw(v, false));
        }
    }

    static Tensor transpose2(Tensor t) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("expected a matrix, got " + t.shapeString());
        }
        int r = (int) t.shape()[0];
        int c = (int) t.shape()[1];
        float[] o = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                o[j * r + i] = t.data()[i * c + j];
            }
        }
        return new Tensor(new long[] {c, r}, o);
    }

    /** [kh, kw, I, O] -> [O, I, kh, kw], optionally flipping the kernel spatially. */
    static Tensor hwioToOihw(Tensor t, boolean flip) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException("expected an HWIO kernel, got " + t.shapeString());
        }
        int kh = (int) t.shape()[0];
        int kw = (int) t.shape()[1];
        int in = (int) t.shape()[2];
        int o = (int) t.shape()[3];
        float[] src = t.data();
        float[] out = new float[src.length];
        int taps = kh * kw;
        int block = 32; // transpose [I, O] in tiles so both sides stay in cache
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                int tap = y * kw + x;
                int srcTap = (flip ? (kh - 1 - y) * kw + (kw - 1 - x) : tap) * in * o;
                for (int i0 = 0; i0 < in; i0 += block) {
                    for (int o0 = 0; o0 < o; o0 += block) {
                        for (int i = i0; i < Math.min(in, i0 + block); i++) {
                            int row = srcTap + i * o;
                            for (int oc = o0; oc < Math.min(o, o0 + block); oc++) {
                                out[(oc * in + i) * taps + tap] = src[row + oc];
                            }
                        }
                    }
                }
            }
        }
        return new Tensor(new long[] {o, in, kh, kw}, out);
    }
}
