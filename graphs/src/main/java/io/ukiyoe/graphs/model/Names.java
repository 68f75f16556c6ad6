package io.ukiyoe.graphs.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canonical tensor names and shapes of a StyleGAN2 model (shared/spec/variable-names.md), in
 * forward order. Everything that stores, builds, blends or freezes tensors goes through these.
 */
public final class Names {
    private Names() {}

    public static final String W_AVG = "mapping/w_avg";
    /** Every discriminator tensor's name starts with this. */
    public static final String DISC = "disc/";

    /** Which network a tensor belongs to. */
    public enum Part { MAPPING, W_AVG, SYNTHESIS, DISCRIMINATOR }

    /**
     * What a canonical name says: its part, the block's resolution (0 in the mapping network), the
     * layer ({@code fc3}, {@code const}, {@code conv0}, {@code conv1}, {@code torgb}, {@code fromrgb},
     * {@code skip}, {@code conv}, {@code fc}, {@code out}) and the tensor within it ({@code weight},
     * {@code affine/bias}, {@code noise_const}, ...; empty for {@code const}).
     */
    public record Parsed(Part part, int resolution, String layer, String tensor) {
        public boolean isNoiseMap() {
            return tensor.equals("noise_const");
        }
    }

    private static final Pattern BLOCK = Pattern.compile("(synthesis|disc)/b(\\d+)/([a-z0-9]+)(?:/(.+))?");
    private static final Pattern MAPPING = Pattern.compile("mapping/(fc\\d+)/(.+)");

    /** Every rule about the shape of a canonical name lives here; anything else is not canonical. */
    public static Optional<Parsed> parse(String name) {
        if (name.equals(W_AVG)) {
            return Optional.of(new Parsed(Part.W_AVG, 0, "w_avg", ""));
        }
        Matcher m = MAPPING.matcher(name);
        if (m.matches()) {
            return Optional.of(new Parsed(Part.MAPPING, 0, m.group(1), m.group(2)));
        }
        m = BLOCK.matcher(name);
        if (m.matches()) {
            return Optional.of(new Parsed(m.group(1).equals("disc") ? Part.DISCRIMINATOR : Part.SYNTHESIS,
                    Integer.parseInt(m.group(2)), m.group(3), m.group(4) == null ? "" : m.group(4)));
        }
        return Optional.empty();
    }

    public static boolean isDiscriminator(String name) {
        return name.startsWith(DISC);
    }

    public static boolean isMapping(String name) {
        return name.startsWith("mapping/");
    }

    public static boolean isSynthesis(String name) {
        return name.startsWith("synthesis/");
    }

    /** The layer a tensor belongs to: its name without the last part ({@code disc/b32/conv0/weight} -> {@code disc/b32/conv0}). */
    public static String layerOf(String name) {
        return name.substring(0, name.lastIndexOf('/'));
    }

    /** The resolution of a synthesis tensor's block, or 0 for any other tensor. */
    public static int synthesisResolution(String name) {
        return parse(name).filter(p -> p.part() == Part.SYNTHESIS).map(Parsed::resolution).orElse(0);
    }

    public static String fc(int i, String what) {
        return "mapping/fc" + i + "/" + what;
    }

    public static String block(int res) {
        return "synthesis/b" + res;
    }

    /** A synthesis layer: {@code conv0}, {@code conv1} or {@code torgb} of block {@code res}. */
    public static String layer(int res, String layer) {
        return block(res) + "/" + layer;
    }

    public static String disc(int res, String layer) {
        return DISC + "b" + res + "/" + layer;
    }

    /** Every generator tensor with its shape (parameters and buffers), mapping first. */
    public static Map<String, long[]> generator(StyleGanConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        int d = c.wDim();
        for (int i = 0; i < c.nMlp(); i++) {
            m.put(fc(i, "weight"), new long[] {d, i == 0 ? c.zDim() : d});
            m.put(fc(i, "bias"), new long[] {d});
        }
        m.put(W_AVG, new long[] {d});
        m.put(block(4) + "/const", new long[] {c.channels(4), 4, 4});
        for (int res = 4; res <= c.resolution(); res *= 2) {
            int cout = c.channels(res);
            if (res > 4) {
                modConv(m, layer(res, "conv0"), c.channels(res / 2), cout, 3, d, res);
            }
            modConv(m, layer(res, "conv1"), cout, cout, 3, d, res);
            String rgb = layer(res, "torgb");
            m.put(rgb + "/weight", new long[] {3, cout, 1, 1});
            m.put(rgb + "/affine/weight", new long[] {cout, d});
            m.put(rgb + "/affine/bias", new long[] {cout});
            m.put(rgb + "/bias", new long[] {3});
        }
        return m;
    }

    private static void modConv(Map<String, long[]> m, String p, int cin, int cout, int k, int d, int res) {
        m.put(p + "/weight", new long[] {cout, cin, k, k});
        m.put(p + "/affine/weight", new long[] {cin, d});
        m.put(p + "/affine/bias", new long[] {cin});
        m.put(p + "/bias", new long[] {cout});
        m.put(noiseStrength(p), new long[] {});
        m.put(noiseConst(p), new long[] {res, res});
    }

    /** Every discriminator tensor with its shape, from the input side. */
    public static Map<String, long[]> discriminator(StyleGanConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        int top = c.resolution();
        m.put(disc(top, "fromrgb/weight"), new long[] {c.channels(top), 3, 1, 1});
        m.put(disc(top, "fromrgb/bias"), new long[] {c.channels(top)});
        for (int res = top; res >= 8; res /= 2) {
            int ch = c.channels(res);
            int out = c.channels(res / 2);
            m.put(disc(res, "conv0/weight"), new long[] {ch, ch, 3, 3});
            m.put(disc(res, "conv0/bias"), new long[] {ch});
            m.put(disc(res, "conv1/weight"), new long[] {out, ch, 3, 3});
            m.put(disc(res, "conv1/bias"), new long[] {out});
            m.put(disc(res, "skip/weight"), new long[] {out, ch, 1, 1});
        }
        int c4 = c.channels(4);
        m.put(disc(4, "conv/weight"), new long[] {c4, c4 + c.mbstdChannels(), 3, 3});
        m.put(disc(4, "conv/bias"), new long[] {c4});
        m.put(disc(4, "fc/weight"), new long[] {c4, c4 * 16L});
        m.put(disc(4, "fc/bias"), new long[] {c4});
        m.put(disc(4, "out/weight"), new long[] {1, c4});
        m.put(disc(4, "out/bias"), new long[] {1});
        return m;
    }

    /** Buffers are never trained or interpolated: the truncation centre and the constant noise maps. */
    public static boolean isBuffer(String name) {
        return name.equals(W_AVG) || name.endsWith("/noise_const");
    }

    /** Noise-map tensor of forward layer i (0 = b4.conv1, 2k+1 = b{r}.conv0, 2k+2 = b{r}.conv1, r = 2^(k+3)). */
    public static String noiseOfLayer(int i) {
        return noiseConst(noiseLayer(i));
    }

    /** The synthesis layer that takes noise number i, in forward order (see {@link #noiseOfLayer}). */
    public static String noiseLayer(int i) {
        if (i == 0) {
            return layer(4, "conv1");
        }
        int k = (i - 1) / 2;
        int res = 1 << (k + 3);
        return layer(res, (i % 2 == 1) ? "conv0" : "conv1");
    }

    /** The resolution of noise number i's map. */
    public static int noiseResolution(int i) {
        return i == 0 ? 4 : 1 << ((i - 1) / 2 + 3);
    }

    /** Number of per-layer noise inputs of a generator: every modulated conv takes one. */
    public static int numNoises(StyleGanConfig c) {
        return 2 * c.log2Resolution() - 3;
    }

    /** The layers that take noise, in forward order. */
    public static java.util.List<String> noiseLayers(StyleGanConfig c) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < numNoises(c); i++) {
            out.add(noiseLayer(i));
        }
        return out;
    }

    /** A layer's stored noise map [r, r]. */
    public static String noiseConst(String layer) {
        return layer + "/noise_const";
    }

    /** A layer's noise strength (a scalar). */
    public static String noiseStrength(String layer) {
        return layer + "/noise_strength";
    }
}
