package io.ukiyoe.swap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a canonical tensor sits: its part (mapping, synthesis, noise, discriminator) and, for
 * synthesis layers, resolution, layer, level and position in forward order.
 */
public record LayerAddress(Part part, Integer resolution, String layer, Integer level) {
    public enum Part { MAPPING, W_AVG, SYNTHESIS, NOISE, DISCRIMINATOR }

    private static final Pattern SYN = Pattern.compile("synthesis/b(\\d+)/(const|conv0|conv1|torgb)(/.*)?");

    public static LayerAddress of(String name) {
        if (name.equals("mapping/w_avg")) {
            return new LayerAddress(Part.W_AVG, null, null, null);
        }
        if (name.startsWith("mapping/")) {
            return new LayerAddress(Part.MAPPING, null, null, null);
        }
        if (name.startsWith("disc/")) {
            return new LayerAddress(Part.DISCRIMINATOR, null, null, null);
        }
        Matcher m = SYN.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a canonical StyleGAN2 tensor name: " + name);
        }
        int res = Integer.parseInt(m.group(1));
        String layer = m.group(2);
        int level = layer.equals("const") || layer.equals("conv0") ? 0 : 1;
        Part part = name.endsWith("/noise_const") ? Part.NOISE : Part.SYNTHESIS;
        return new LayerAddress(part, res, layer, level);
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
