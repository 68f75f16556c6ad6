package io.ukiyoe.graphs.imports;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a model in the layout of the official TensorFlow StyleGAN2 pickle ((G, D, Gs) dnnlib
 * Networks with numpy variables, HWIO kernels, flipped up-conv kernels, mod_bias without the +1),
 * for testing the importer without TensorFlow.
 */
final class TfPickleWriter {
    private TfPickleWriter() {}

    static byte[] write(StyleGanModel m) {
        StyleGanConfig c = m.config();
        Map<String, Tensor> mapping = new LinkedHashMap<>();
        for (int i = 0; i < c.nMlp(); i++) {
            mapping.put("Dense" + i + "/weight", TfPkl.transpose2(m.tensor(Names.fc(i, "weight"))));
            mapping.put("Dense" + i + "/bias", m.tensor(Names.fc(i, "bias")));
        }
        Map<String, Tensor> synthesis = new LinkedHashMap<>();
        int layers = 2 * c.log2Resolution() - 3;
        for (int i = 0; i < layers; i++) {
            Tensor n = m.tensor(Names.noiseOfLayer(i));
            synthesis.put("noise" + i, n.reshape(1, 1, n.shape()[0], n.shape()[1]));
        }
        Tensor cst = m.tensor("synthesis/b4/const");
        synthesis.put("4x4/Const/const", cst.reshape(1, cst.shape()[0], 4, 4));
        for (int r = 4; r <= c.resolution(); r *= 2) {
            String p = r + "x" + r + "/";
            if (r == 4) {
                layer(m, Names.layer(4, "conv1"), p + "Conv/", false, synthesis);
            } else {
                layer(m, Names.layer(r, "conv0"), p + "Conv0_up/", true, synthesis);
                layer(m, Names.layer(r, "conv1"), p + "Conv1/", false, synthesis);
            }
            String rgb = Names.layer(r, "torgb");
            synthesis.put(p + "ToRGB/weight", oihwToHwio(m.tensor(rgb + "/weight"), false));
            synthesis.put(p + "ToRGB/mod_weight", TfPkl.transpose2(m.tensor(rgb + "/affine/weight")));
            synthesis.put(p + "ToRGB/mod_bias", minusOne(m.tensor(rgb + "/affine/bias")));
            synthesis.put(p + "ToRGB/bias", m.tensor(rgb + "/bias"));
        }
        Map<String, Tensor> gs = new LinkedHashMap<>();
        gs.put("lod", Tensor.scalar(0));
        gs.put("dlatent_avg", m.tensor(Names.W_AVG));
        Map<String, Tensor> d = new LinkedHashMap<>();
        int top = c.resolution();
        d.put(top + "x" + top + "/FromRGB/weight", oihwToHwio(m.tensor(Names.disc(top, "fromrgb/weight")), false));
        d.put(top + "x" + top + "/FromRGB/bias", m.tensor(Names.disc(top, "fromrgb/bias")));
        for (int r = top; r >= 8; r /= 2) {
            String p = r + "x" + r + "/";
            d.put(p + "Conv0/weight", oihwToHwio(m.tensor(Names.disc(r, "conv0/weight")), false));
            d.put(p + "Conv0/bias", m.tensor(Names.disc(r, "conv0/bias")));
            d.put(p + "Conv1_down/weight", oihwToHwio(m.tensor(Names.disc(r, "conv1/weight")), false));
            d.put(p + "Conv1_down/bias", m.tensor(Names.disc(r, "conv1/bias")));
            d.put(p + "Skip/weight", oihwToHwio(m.tensor(Names.disc(r, "skip/weight")), false));
        }
        d.put("4x4/Conv/weight", oihwToHwio(m.tensor(Names.disc(4, "conv/weight")), false));
        d.put("4x4/Conv/bias", m.tensor(Names.disc(4, "conv/bias")));
        d.put("4x4/Dense0/weight", TfPkl.transpose2(m.tensor(Names.disc(4, "fc/weight"))));
        d.put("4x4/Dense0/bias", m.tensor(Names.disc(4, "fc/bias")));
        d.put("Output/weight", TfPkl.transpose2(m.tensor(Names.disc(4, "out/weight"))));
        d.put("Output/bias", m.tensor(Names.disc(4, "out/bias")));

        PickleBuilder b = new PickleBuilder().proto(4);
        b.mark();
        network(b, "G", gs, Map.of("mapping", mapping, "synthesis", synthesis), "skip");
        network(b, "D", d, Map.of(), "resnet");
        network(b, "Gs", gs, Map.of("mapping", mapping, "synthesis", synthesis), "skip");
        b.tuple().stop();
        return b.toBytes();
    }

    private static void layer(StyleGanModel m, String layer, String p, boolean flip, Map<String, Tensor> out) {
        out.put(p + "weight", oihwToHwio(m.tensor(layer + "/weight"), flip));
        out.put(p + "mod_weight", TfPkl.transpose2(m.tensor(layer + "/affine/weight")));
        out.put(p + "mod_bias", minusOne(m.tensor(layer + "/affine/bias")));
        out.put(p + "noise_strength", m.tensor(layer + "/noise_strength"));
        out.put(p + "bias", m.tensor(layer + "/bias"));
    }

    private static Tensor minusOne(Tensor t) {
        float[] v = t.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] -= 1f;
        }
        return new Tensor(t.shape(), v);
    }

    /** [O, I, kh, kw] -> [kh, kw, I, O] (optionally flipped): the inverse of the importer's conversion. */
    static Tensor oihwToHwio(Tensor t, boolean flip) {
        int o = (int) t.shape()[0];
        int in = (int) t.shape()[1];
        int kh = (int) t.shape()[2];
        int kw = (int) t.shape()[3];
        float[] out = new float[t.data().length];
        for (int oc = 0; oc < o; oc++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        int ty = flip ? kh - 1 - y : y;
                        int tx = flip ? kw - 1 - x : x;
                        out[((ty * kw + tx) * in + i) * o + oc] = t.data()[((oc * in + i) * kh + y) * kw + x];
                    }
                }
            }
        }
        return new Tensor(new long[] {kh, kw, in, o}, out);
    }

    private static void network(PickleBuilder b, String name, Map<String, Tensor> vars,
                                Map<String, Map<String, Tensor>> components, String architecture) {
        b.global("dnnlib.tflib.network", "Network").emptyTuple().newObj();
        b.emptyDict().mark();
        b.str("version").integer(4);
        b.str("name").str(name);
        b.str("static_kwargs").emptyDict().mark().str("architecture").str(architecture).setItems();
        b.str("components").emptyDict().mark();
        components.forEach((k, v) -> {
            b.str(k);
            network(b, k, v, Map.of(), architecture);
        });
        b.setItems();
        b.str("build_func_name").str("G_main");
        b.str("variables").emptyList().mark();
        vars.forEach((k, t) -> {
            b.mark().str(k);
            ndarray(b, t);
            b.tuple();
        });
        b.appends();
        b.setItems();
        b.build();
    }

    private static void dtype(PickleBuilder b) {
        b.global("numpy", "dtype").mark().str("f4").bool(false).bool(true).tuple().reduce();
        b.mark().integer(3).str("<").none().none().none().integer(-1 & 0xff).integer(0).tuple().build();
    }

    private static void ndarray(PickleBuilder b, Tensor t) {
        ByteBuffer data = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) {
            data.putFloat(v);
        }
        if (t.rank() == 0) { // TF hands 0-d variables back as numpy scalars
            b.global("numpy.core.multiarray", "scalar").mark();
            dtype(b);
            b.bytes(data.array()).tuple().reduce();
            return;
        }
        b.global("numpy.core.multiarray", "_reconstruct").mark().global("numpy", "ndarray").mark().integer(0).tuple()
                .bytes(new byte[] {'b'}).tuple().reduce();
        b.mark().integer(1).mark();
        for (long s : t.shape()) {
            b.integer(s);
        }
        b.tuple();
        dtype(b);
        b.bool(false).bytes(data.array()).tuple().build();
    }
}
