package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pickle.PyObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * stylegan2-ada-pytorch / stylegan3 snapshot pickles: {@code G_ema} and {@code D} as persistent
 * modules whose state holds parameters, buffers, children and the constructor kwargs.
 */
final class Ada {
    private Ada() {}

    static Importer.Converted convert(Object root) {
        if (!(root instanceof Map<?, ?> top) || !(top.get("G_ema") instanceof PyObject g)) {
            throw new IllegalArgumentException("not a stylegan2-ada snapshot: no 'G_ema' network");
        }
        Map<String, Object> gk = kwargs(g);
        check(gk.get("c_dim") == null || ((Number) gk.get("c_dim")).intValue() == 0,
                "conditional generators (c_dim > 0) are not supported");
        check(gk.get("img_channels") == null || ((Number) gk.get("img_channels")).intValue() == 3,
                "only 3-channel images are supported");
        Map<String, Object> synth = sub(gk, "synthesis_kwargs");
        Object arch = synth.get("architecture");
        check(arch == null || "skip".equals(arch), "generator architecture '" + arch + "' is not supported (only 'skip')");
        Map<String, Object> mapping = sub(gk, "mapping_kwargs");
        double lrMul = mapping.get("lr_multiplier") instanceof Number n ? n.doubleValue() : 0.01;
        Double clamp = synth.get("conv_clamp") instanceof Number n ? n.doubleValue() : null;

        Map<String, Tensor> gState = new LinkedHashMap<>();
        flatten(g, "", gState);
        Map<String, Tensor> dState = new LinkedHashMap<>();
        int group = 4;
        int channels = 1;
        if (top.get("D") instanceof PyObject d) {
            Map<String, Object> dk = kwargs(d);
            Object darch = dk.get("architecture");
            check(darch == null || "resnet".equals(darch), "discriminator architecture '" + darch
                    + "' is not supported (only 'resnet')");
            Double dClamp = dk.get("conv_clamp") instanceof Number n ? n.doubleValue() : null;
            check(java.util.Objects.equals(dClamp, clamp), "generator and discriminator conv_clamp differ ("
                    + clamp + " vs " + dClamp + ")");
            Map<String, Object> epi = sub(dk, "epilogue_kwargs");
            if (epi.get("mbstd_group_size") instanceof Number n) {
                group = n.intValue();
            }
            if (epi.get("mbstd_num_channels") instanceof Number n) {
                channels = n.intValue();
            }
            flatten(d, "", dState);
        }
        return fromStateDicts(gState, dState, clamp, group, channels, lrMul);
    }

    /** Canonical tensors from ada state-dict names ({@code mapping.fc0.weight}, {@code b32.conv0.weight}, ...). */
    static Importer.Converted fromStateDicts(Map<String, Tensor> g, Map<String, Tensor> d, Double clamp, int group,
                                             int channels, double lrMul) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        g.forEach((k, t) -> {
            if (k.endsWith("resample_filter")) {
                check(Fir.isStandard(t), k + ": only the [1,3,3,1] resample filter is supported");
            } else if (k.startsWith("mapping.embed")) {
                throw new IllegalArgumentException("conditional generators (mapping.embed) are not supported");
            } else {
                out.put(k.replace('.', '/'), t);
            }
        });
        d.forEach((k, t) -> {
            if (k.endsWith("resample_filter")) {
                check(Fir.isStandard(t), "D." + k + ": only the [1,3,3,1] resample filter is supported");
            } else {
                out.put(Names.DISC + k.replace('.', '/'), t);
            }
        });
        return new Importer.Converted(out, null, clamp, group, channels, lrMul);
    }

    /** state_dict-style flattening of a persistent module tree: parameters, then buffers, then children. */
    private static void flatten(PyObject module, String prefix, Map<String, Tensor> out) {
        Map<Object, Object> state = module.stateDict();
        for (String part : new String[] {"_parameters", "_buffers"}) {
            if (state.get(part) instanceof Map<?, ?> m) {
                for (var e : m.entrySet()) {
                    if (e.getValue() != null) {
                        out.put(prefix + e.getKey(), Pickles.tensor(prefix + e.getKey(), e.getValue()));
                    }
                }
            }
        }
        if (state.get("_modules") instanceof Map<?, ?> children) {
            for (var e : children.entrySet()) {
                if (e.getValue() instanceof PyObject child) {
                    flatten(child, prefix + e.getKey() + ".", out);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kwargs(PyObject module) {
        Object k = module.stateDict().get("_init_kwargs");
        return k instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(Map<String, Object> m, String key) {
        return m.get(key) instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

}
