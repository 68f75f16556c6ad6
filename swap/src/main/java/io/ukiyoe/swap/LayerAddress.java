package io.ukiyoe.swap;

import io.ukiyoe.graphs.model.Names;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a canonical tensor sits: its part (mapping, synthesis, noise, discriminator) and, for
 * synthesis layers, resolution, layer, level and position in forward order.
 */
public record LayerAddress(Part part, Integer resolution, String layer, Integer level) {
    public enum Part { MAPPING, W_AVG, SYNTHESIS, NOISE, DISCRIMINATOR }

    /** Where a canonical name sits; the name's own rules are {@link Names#parse}'s. */
    public static LayerAddress of(String name) {
        Names.Parsed p = Names.parse(name).orElseThrow(() ->
                new IllegalArgumentException("not a canonical StyleGAN2 tensor name: " + name));
        return switch (p.part()) {
            case W_AVG -> new LayerAddress(Part.W_AVG, null, null, null);
            case MAPPING -> new LayerAddress(Part.MAPPING, null, null, null);
            case DISCRIMINATOR -> new LayerAddress(Part.DISCRIMINATOR, null, null, null);
            case SYNTHESIS -> {
                if (!List.of("const", "conv0", "conv1", "torgb").contains(p.layer())) {
                    throw new IllegalArgumentException("not a canonical StyleGAN2 tensor name: " + name);
                }
                int level = p.layer().equals("const") || p.layer().equals("conv0") ? 0 : 1;
                yield new LayerAddress(p.isNoiseMap() ? Part.NOISE : Part.SYNTHESIS, p.resolution(), p.layer(), level);
            }
        };
    }

    /** p = 2 log2(r / 4) + level; null outside synthesis. */
    public Integer position() {
        return resolution == null ? null : Schedule.position(resolution, level);
    }

    /** A glob over canonical names: '*' within one path segment, '**' across segments, '?' one character. */
    public static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            if (ch == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else if (ch == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
