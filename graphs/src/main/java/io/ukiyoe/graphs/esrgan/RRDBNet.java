package io.ukiyoe.graphs.esrgan;

import static io.ukiyoe.graphs.layers.Layers.Layout.NHWC;

import io.ukiyoe.core.image.Upscaler;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.Layers;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ESRGAN's generator as a SameDiff inference graph (xinntao/ESRGAN {@code RRDBNet_arch.py}): conv_first,
 * {@code nb} RRDBs (three dense blocks of five 3x3 convs each, LeakyReLU 0.2, residual scaling 0.2 in every
 * dense block and every RRDB), trunk_conv with the long skip, two nearest 2x upsamplings each followed by a
 * conv and LeakyReLU, HRconv, conv_last. Zero padding 1 everywhere; the output is raw (not clamped).
 *
 * <p>Input {@code [N, in_nc, H, W]} of any H, W; output {@code [N, out_nc, 4H, 4W]}. The graph also names the
 * intermediate tensors the reference fixtures store ({@link #intermediates}).
 */
public final class RRDBNet implements Upscaler {
    public static final String INPUT = "input";
    public static final String OUTPUT = "out";
    private static final double SLOPE = 0.2;
    private static final double RESIDUAL_SCALE = 0.2;

    private final EsrganConfig config;
    private final SameDiff sd;

    public RRDBNet(EsrganConfig config, Map<String, Tensor> canonicalTensors) {
        this.config = config;
        this.sd = Graphs.create();
        build(canonicalTensors);
    }

    /** The network of a model file (its tensors checked against its config). */
    public static RRDBNet of(NetworkFile file) {
        return new RRDBNet(EsrganFamily.checkedFile(file), file.tensorsView());
    }

    public EsrganConfig config() {
        return config;
    }

    /** Names of the intermediate tensors (as in the reference fixtures), in the order they are computed. */
    public static List<String> intermediates(EsrganConfig c) {
        List<String> names = new ArrayList<>(List.of("fea_conv_first", "rrdb0_rdb1_out"));
        for (int n = 0; n < c.nb(); n++) {
            names.add("rrdb" + n + "_out");
        }
        names.addAll(List.of("trunk_conv_out", "fea_after_trunk_residual", "up1_lrelu", "up2_lrelu", "hr_lrelu", OUTPUT));
        return names;
    }

    @Override
    public int scale() {
        return EsrganConfig.SCALE;
    }

    @Override
    public INDArray upscale(INDArray nchw) {
        return run(nchw, OUTPUT).get(OUTPUT);
    }

    /** The named tensors (see {@link #intermediates}) for an input {@code [N, in_nc, H, W]}. */
    public Map<String, INDArray> run(INDArray nchw, String... outputs) {
        long[] s = nchw.shape();
        if (s.length != 4 || s[1] != config.inChannels() || s[2] < 1 || s[3] < 1) {
            throw new IllegalArgumentException("ESRGAN input must be [N, " + config.inChannels() + ", H, W], got "
                    + Arrays.toString(s));
        }
        return sd.output(Map.of(INPUT, nchw.castTo(DataType.FLOAT)), outputs);
    }

    /**
     * The net runs channels-last (NHWC) between a permute of its input and one of its output: oneDNN's
     * convs on these maps are up to twice as fast as on NCHW (docs/benchmarks.md). The named
     * intermediates are NCHW permutes of the chain's tensors, computed only when asked for.
     */
    private void build(Map<String, Tensor> t) {
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inChannels(), -1, -1);
        SDVariable fea = named(conv(t, "conv_first", x.permute(0, 2, 3, 1)), "fea_conv_first");
        SDVariable trunk = fea;
        for (int n = 0; n < config.nb(); n++) {
            trunk = named(rrdb(t, n, trunk), "rrdb" + n + "_out");
        }
        SDVariable trunkConv = named(conv(t, "trunk_conv", trunk), "trunk_conv_out");
        fea = named(fea.add(trunkConv), "fea_after_trunk_residual");
        fea = named(lrelu(conv(t, "upconv1", Layers.upsampleNearest(sd, fea, 2, NHWC))), "up1_lrelu");
        fea = named(lrelu(conv(t, "upconv2", Layers.upsampleNearest(sd, fea, 2, NHWC))), "up2_lrelu");
        fea = named(lrelu(conv(t, "HRconv", fea)), "hr_lrelu");
        named(conv(t, "conv_last", fea), OUTPUT);
    }

    /** RRDB: three dense blocks, then {@code out * 0.2 + input}. */
    private SDVariable rrdb(Map<String, Tensor> t, int n, SDVariable in) {
        SDVariable y = in;
        for (int k = 1; k <= 3; k++) {
            y = residualDenseBlock(t, n, k, y);
            if (n == 0 && k == 1) {
                y = named(y, "rrdb0_rdb1_out");
            }
        }
        return y.mul(RESIDUAL_SCALE).add(in);
    }

    /** Five convs, each seeing the block input and every earlier output concatenated (input first); {@code x5 * 0.2 + input}. */
    private SDVariable residualDenseBlock(Map<String, Tensor> t, int n, int k, SDVariable in) {
        List<SDVariable> seen = new ArrayList<>(List.of(in));
        for (int j = 1; j <= 4; j++) {
            SDVariable cat = seen.size() == 1 ? in : sd.concat(3, seen.toArray(SDVariable[]::new));
            seen.add(lrelu(conv(t, EsrganNames.dense(n, k, j), cat)));
        }
        SDVariable x5 = conv(t, EsrganNames.dense(n, k, 5), sd.concat(3, seen.toArray(SDVariable[]::new)));
        return x5.mul(RESIDUAL_SCALE).add(in);
    }

    /**
     * A 3x3 conv, stride 1, zero padding 1, with bias, on NHWC maps; the weight from the canonical tensors,
     * laid out once as SameDiff's [kh, kw, I, O].
     */
    private SDVariable conv(Map<String, Tensor> t, String originalName, SDVariable x) {
        String key = originalName.replace('.', '/');
        SDVariable w = sd.constant(key + "/weight", Ops.array(t.get(key + "/weight")).permute(2, 3, 1, 0).dup('c'));
        SDVariable b = sd.constant(key + "/bias", Ops.array(t.get(key + "/bias")));
        return Layers.conv2dPrepared(sd, x, w, b, 1, 1, NHWC);
    }

    private SDVariable lrelu(SDVariable x) {
        return Layers.leakyRelu(sd, x, SLOPE);
    }

    /** {@code v} (NHWC) as it is; under {@code name}, its NCHW permute (what the fixtures and callers see). */
    private SDVariable named(SDVariable v, String name) {
        sd.updateVariableNameAndReference(v.permute(0, 3, 1, 2), name);
        return v;
    }
}
