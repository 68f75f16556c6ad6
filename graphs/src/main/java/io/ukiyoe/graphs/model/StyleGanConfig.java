package io.ukiyoe.graphs.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * The architecture of a StyleGAN2 generator (and its 'resnet' discriminator): enough to build the
 * graphs and to check a model file's tensors. Stored as JSON in every model file.
 */
public record StyleGanConfig(
        int resolution,                  // output size R, a power of two in [4, 1024]
        int zDim,                        // latent z size
        int wDim,                        // intermediate latent w size (style size)
        int nMlp,                        // mapping network depth (fc0..fc{n_mlp-1})
        Map<Integer, Integer> channels,  // feature maps per resolution 4..R, shared by G and D
        double mappingLrMul,             // equalised-lr multiplier of the mapping layers (0.01)
        Double convClamp,                // stylegan2-ada conv_clamp: clamp activations to +-clamp*gain; null = none
        int mbstdGroup,                  // minibatch-stddev group size (min(group, N) is used)
        int mbstdChannels) {             // minibatch-stddev feature channels

    /**
     * The minibatch-stddev group D uses for a batch: min(group, N), and N must be a multiple of it, as
     * in the references. A one-line error saying which batch sizes work otherwise.
     */
    public int mbstdGroupFor(long batch) {
        int g = (int) Math.min(mbstdGroup, batch);
        if (g <= 0 || batch % g != 0) {
            throw new io.ukiyoe.core.UserError("a batch of " + batch + " images does not fit the minibatch-stddev group "
                    + mbstdGroup + " of this discriminator: use a multiple of " + mbstdGroup + ", or fewer than "
                    + mbstdGroup + " images");
        }
        return g;
    }

    public StyleGanConfig {
        if (resolution < 4 || resolution > 1024 || Integer.bitCount(resolution) != 1) {
            throw new IllegalArgumentException("resolution must be a power of two in [4, 1024], got " + resolution);
        }
        if (zDim <= 0 || wDim <= 0 || nMlp <= 0) {
            throw new IllegalArgumentException("z_dim, w_dim and n_mlp must be positive");
        }
        channels = java.util.Collections.unmodifiableMap(new TreeMap<>(channels));
        for (int r = 4; r <= resolution; r *= 2) {
            Integer c = channels.get(r);
            if (c == null || c <= 0) {
                throw new IllegalArgumentException("channels: no positive entry for resolution " + r);
            }
        }
        if (mbstdGroup <= 0 || mbstdChannels <= 0 || channels.get(4) % mbstdChannels != 0) {
            throw new IllegalArgumentException("invalid minibatch-stddev settings");
        }
    }

    /** stylegan2-ada / stylegan3 rule: channels(r) = min(channel_base / r, channel_max). */
    public static Map<Integer, Integer> adaChannels(int resolution, int channelBase, int channelMax) {
        Map<Integer, Integer> ch = new TreeMap<>();
        for (int r = 4; r <= resolution; r *= 2) {
            ch.put(r, Math.min(channelBase / r, channelMax));
        }
        return ch;
    }

    /** rosinality's table: 512 up to 32, then 256m, 128m, 64m, 32m, 16m for 64..1024. */
    public static Map<Integer, Integer> rosinalityChannels(int resolution, int channelMultiplier) {
        Map<Integer, Integer> ch = new TreeMap<>();
        for (int r = 4; r <= resolution; r *= 2) {
            ch.put(r, r <= 32 ? 512 : 16384 * channelMultiplier / r);
        }
        return ch;
    }

    /** A config with the usual StyleGAN2 defaults (lr_mul 0.01, no clamp, mbstd 4 x 1). */
    public static StyleGanConfig of(int resolution, int zDim, int wDim, int nMlp, Map<Integer, Integer> channels) {
        return new StyleGanConfig(resolution, zDim, wDim, nMlp, channels, 0.01, null, 4, 1);
    }

    public int channels(int res) {
        return channels.get(res);
    }

    /** log2 of the resolution. */
    public int log2Resolution() {
        return Integer.numberOfTrailingZeros(resolution);
    }

    /** Number of per-layer latents: 2 log2(R) - 2. */
    public int numWs() {
        return 2 * log2Resolution() - 2;
    }

    public StyleGanConfig withConvClamp(Double clamp) {
        return new StyleGanConfig(resolution, zDim, wDim, nMlp, channels, mappingLrMul, clamp, mbstdGroup, mbstdChannels);
    }
}
