package io.ukiyoe.graphs.vision;

import io.ukiyoe.graphs.layers.Layers;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * pytorch-fid's InceptionV3 ("FID Inception", its port of TF's {@code inception-2015-12-05}) as a
 * SameDiff graph, from 299x299 images in [0, 1] to the 2048-d pool3 features: {@code 2x - 1}, then torchvision's Inception3 stem and Mixed blocks
 * with pytorch-fid's FIDInceptionA/C/E_1/E_2 variants. Channel counts come from the weights; every
 * conv's input channels are checked against what reaches it.
 *
 * <p>Tap points (graph variable names): {@link #INPUT_299}, {@link #BLOCK0}, {@link #BLOCK1},
 * {@link #MIXED_5D}, {@link #BLOCK2}, {@link #MIXED_7C}, {@link #POOL3}.
 */
final class FidInceptionGraph {
    static final int SIZE = 299;
    /** torchvision's BasicConv2d BatchNorm eps (not torch's default 1e-5). */
    static final double BN_EPS = 1e-3;

    static final String INPUT_299 = "input299";
    static final String BLOCK0 = "block0_maxpool1";
    static final String BLOCK1 = "block1_maxpool2";
    static final String MIXED_5D = "Mixed_5d";
    static final String BLOCK2 = "block2_Mixed_6e";
    static final String MIXED_7C = "Mixed_7c";
    static final String POOL3 = "pool3";

    /** Activations with their static channel count and spatial size. */
    private record Act(SDVariable v, long c, long h, long w) {}

    private final SameDiff sd;
    private final Function<String, SDVariable> weight;

    /** {@code weight} gives a canonical tensor name ({@code Mixed_5b/branch1x1/conv/weight}) as a graph constant. */
    FidInceptionGraph(SameDiff sd, Function<String, SDVariable> weight) {
        this.sd = sd;
        this.weight = weight;
    }

    /**
     * Builds the network for images {@code [N, 3, 299, 299]} in [0, 1], already resized (see
     * {@link BilinearResize}); returns pool3 {@code [N, 2048]}.
     */
    SDVariable build(SDVariable images299) {
        Act x = new Act(sd.identity(INPUT_299, images299.mul(2).sub(1)), 3, SIZE, SIZE);

        x = conv(x, "Conv2d_1a_3x3", 2, 0, 0);
        x = conv(x, "Conv2d_2a_3x3", 1, 0, 0);
        x = conv(x, "Conv2d_2b_3x3", 1, 1, 1);
        x = tap(BLOCK0, maxPool(x, 3, 2, 0));

        x = conv(x, "Conv2d_3b_1x1", 1, 0, 0);
        x = conv(x, "Conv2d_4a_3x3", 1, 0, 0);
        x = tap(BLOCK1, maxPool(x, 3, 2, 0));

        x = inceptionA(x, "Mixed_5b");
        x = inceptionA(x, "Mixed_5c");
        x = tap(MIXED_5D, inceptionA(x, "Mixed_5d"));
        x = inceptionB(x, "Mixed_6a");
        for (String name : new String[] {"Mixed_6b", "Mixed_6c", "Mixed_6d"}) {
            x = inceptionC(x, name);
        }
        x = tap(BLOCK2, inceptionC(x, "Mixed_6e"));

        x = inceptionD(x, "Mixed_7a");
        x = inceptionE(x, "Mixed_7b", false);
        x = tap(MIXED_7C, inceptionE(x, "Mixed_7c", true));
        return sd.identity(POOL3, x.v().mean(false, 2, 3));   // AdaptiveAvgPool2d(1), flattened
    }

    // ---- the Mixed blocks ------------------------------------------------------------------------

    /** FIDInceptionA: 1x1 | 1x1-5x5 | 1x1-3x3-3x3 | avg pool (count_include_pad=False)-1x1. */
    private Act inceptionA(Act x, String p) {
        Act b1 = same(x, p + ".branch1x1");
        Act b5 = same(same(x, p + ".branch5x5_1"), p + ".branch5x5_2");
        Act b3 = same(same(same(x, p + ".branch3x3dbl_1"), p + ".branch3x3dbl_2"), p + ".branch3x3dbl_3");
        Act pool = same(avgPool3(x), p + ".branch_pool");
        return concat(b1, b5, b3, pool);
    }

    /** torchvision InceptionB (Mixed_6a), the 35 -> 17 reduction. */
    private Act inceptionB(Act x, String p) {
        Act b3 = conv(x, p + ".branch3x3", 2, 0, 0);
        Act dbl = conv(same(same(x, p + ".branch3x3dbl_1"), p + ".branch3x3dbl_2"), p + ".branch3x3dbl_3", 2, 0, 0);
        return concat(b3, dbl, maxPool(x, 3, 2, 0));
    }

    /** FIDInceptionC: 1x1 | 1x1-1x7-7x1 | 1x1-7x1-1x7-7x1-1x7 | avg pool (count_include_pad=False)-1x1. */
    private Act inceptionC(Act x, String p) {
        Act b1 = same(x, p + ".branch1x1");
        Act b7 = chain(x, p + ".branch7x7_", 3);
        Act dbl = chain(x, p + ".branch7x7dbl_", 5);
        Act pool = same(avgPool3(x), p + ".branch_pool");
        return concat(b1, b7, dbl, pool);
    }

    /** torchvision InceptionD (Mixed_7a), the 17 -> 8 reduction. */
    private Act inceptionD(Act x, String p) {
        Act b3 = conv(same(x, p + ".branch3x3_1"), p + ".branch3x3_2", 2, 0, 0);
        Act b7 = conv(chain(x, p + ".branch7x7x3_", 3), p + ".branch7x7x3_4", 2, 0, 0);
        return concat(b3, b7, maxPool(x, 3, 2, 0));
    }

    /**
     * FIDInceptionE_1 (avg pool, count_include_pad=False) or FIDInceptionE_2 ({@code maxPoolBranch}: TF's
     * graph max-pools in the last block): 1x1 | 1x1-(1x3, 3x1) | 1x1-3x3-(1x3, 3x1) | pool-1x1.
     */
    private Act inceptionE(Act x, String p, boolean maxPoolBranch) {
        Act b1 = same(x, p + ".branch1x1");
        Act b3 = same(x, p + ".branch3x3_1");
        b3 = concat(same(b3, p + ".branch3x3_2a"), same(b3, p + ".branch3x3_2b"));
        Act dbl = same(same(x, p + ".branch3x3dbl_1"), p + ".branch3x3dbl_2");
        dbl = concat(same(dbl, p + ".branch3x3dbl_3a"), same(dbl, p + ".branch3x3dbl_3b"));
        Act pooled = maxPoolBranch ? maxPool(x, 3, 1, 1) : avgPool3(x);
        return concat(b1, b3, dbl, same(pooled, p + ".branch_pool"));
    }

    // ---- building blocks -------------------------------------------------------------------------

    /** {@code prefix1 .. prefixN}, each a stride-1 'same' BasicConv2d. */
    private Act chain(Act x, String prefix, int n) {
        Act y = x;
        for (int i = 1; i <= n; i++) {
            y = same(y, prefix + i);
        }
        return y;
    }

    /** A stride-1 BasicConv2d padded to keep the size (k / 2 per axis, as every such conv upstream). */
    private Act same(Act x, String name) {
        long[] k = weightShape(name);
        return conv(x, name, 1, (int) k[2] / 2, (int) k[3] / 2);
    }

    /** torchvision's BasicConv2d: conv without bias -> BatchNorm (eval, eps 0.001) -> ReLU. */
    private Act conv(Act x, String name, int stride, int padH, int padW) {
        long[] k = weightShape(name);
        if (k[1] != x.c()) {
            throw new IllegalArgumentException(name + ".conv.weight expects " + k[1] + " input channels, but "
                    + x.c() + " reach it");
        }
        String p = name.replace('.', '/');
        SDVariable y = Layers.conv2d(sd, x.v(), weight.apply(p + "/conv/weight"), null, stride, stride, padH, padW, 1);
        y = Layers.batchNormInference(sd, y, bn(p, "running_mean", k[0]), bn(p, "running_var", k[0]),
                bn(p, "weight", k[0]), bn(p, "bias", k[0]), BN_EPS);
        return new Act(Layers.relu(sd, y), k[0], (x.h() + 2L * padH - k[2]) / stride + 1,
                (x.w() + 2L * padW - k[3]) / stride + 1);
    }

    private SDVariable bn(String conv, String what, long channels) {
        SDVariable v = weight.apply(conv + "/bn/" + what);
        long[] s = Layers.shapeOf(v, 1, conv + "/bn/" + what);
        if (s[0] != channels) {
            throw new IllegalArgumentException(conv.replace('/', '.') + ".bn." + what + " has " + s[0]
                    + " values, the conv has " + channels + " output channels");
        }
        return v;
    }

    private long[] weightShape(String name) {
        return Layers.shapeOf(weight.apply(name.replace('.', '/') + "/conv/weight"), 4, name + ".conv.weight");
    }

    /** {@code avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)}, TF's SAME average pool. */
    private Act avgPool3(Act x) {
        return new Act(Layers.avgPool2d(sd, x.v(), 3, 1, 1, false), x.c(), x.h(), x.w());
    }

    private Act maxPool(Act x, int k, int stride, int pad) {
        return new Act(Layers.maxPool2d(sd, x.v(), k, stride, pad, false, x.h(), x.w()), x.c(),
                Layers.poolOut(x.h(), k, stride, pad, false), Layers.poolOut(x.w(), k, stride, pad, false));
    }

    private Act concat(Act... parts) {
        SDVariable[] vs = new SDVariable[parts.length];
        long c = 0;
        for (int i = 0; i < parts.length; i++) {
            vs[i] = parts[i].v();
            c += parts[i].c();
        }
        return new Act(sd.concat(1, vs), c, parts[0].h(), parts[0].w());
    }

    private Act tap(String name, Act x) {
        return new Act(sd.identity(name, x.v()), x.c(), x.h(), x.w());
    }
}
