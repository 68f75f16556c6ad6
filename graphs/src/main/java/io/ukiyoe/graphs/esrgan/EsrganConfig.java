package io.ukiyoe.graphs.esrgan;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The architecture of an ESRGAN generator ({@code RRDBNet}, x4), as stored under {@code config} in its
 * model file. Every field is inferred from the weights on import.
 *
 * @param inChannels  image channels in (3: RGB)
 * @param outChannels image channels out (3: RGB)
 * @param nf          feature channels of the trunk (official model: 64)
 * @param nb          RRDB blocks in the trunk (official model: 23)
 * @param gc          growth channels of each dense block's first four convs (official model: 32)
 */
public record EsrganConfig(int inChannels, int outChannels, int nf, int nb, int gc) {
    /** Two nearest-neighbour 2x upsamplings: every RRDBNet this family reads is x4. */
    public static final int SCALE = 4;
    /** The published ESRGAN / Real-ESRGAN x4 architecture. */
    public static final EsrganConfig OFFICIAL = new EsrganConfig(3, 3, 64, 23, 32);

    public EsrganConfig {
        if (inChannels < 1 || outChannels < 1 || nf < 1 || nb < 1 || gc < 1) {
            throw new IllegalArgumentException("ESRGAN architecture needs positive in/out channels, nf, nb and gc, got "
                    + "in " + inChannels + ", out " + outChannels + ", nf " + nf + ", nb " + nb + ", gc " + gc);
        }
    }

    /** Input channels of conv {@code j} (1..5) of a dense block: the block input and every earlier growth. */
    public int denseIn(int j) {
        return nf + (j - 1) * gc;
    }

    /** Output channels of conv {@code j} of a dense block: growth, except the last conv back to {@code nf}. */
    public int denseOut(int j) {
        return j < 5 ? gc : nf;
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_nc", inChannels);
        m.put("out_nc", outChannels);
        m.put("nf", nf);
        m.put("nb", nb);
        m.put("gc", gc);
        m.put("scale", SCALE);
        return JsonMapper.builder().build().writeValueAsString(m);
    }

    /** The config of a model file; throws {@link IllegalArgumentException} naming what is missing or wrong. */
    public static EsrganConfig fromJson(String json) {
        JsonNode n;
        try {
            n = JsonMapper.builder().build().readTree(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config is not JSON: " + e.getMessage());
        }
        int scale = field(n, "scale");
        if (scale != SCALE) {
            throw new IllegalArgumentException("config scale " + scale + " is not supported (only x" + SCALE + ")");
        }
        return new EsrganConfig(field(n, "in_nc"), field(n, "out_nc"), field(n, "nf"), field(n, "nb"), field(n, "gc"));
    }

    private static int field(JsonNode n, String name) {
        JsonNode v = n == null ? null : n.get(name);
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("config has no integer '" + name + "'");
        }
        return v.asInt();
    }

    public String describe() {
        return "RRDBNet x" + SCALE + " (nf " + nf + ", nb " + nb + ", gc " + gc + ", " + inChannels + "->" + outChannels
                + " channels)";
    }
}
