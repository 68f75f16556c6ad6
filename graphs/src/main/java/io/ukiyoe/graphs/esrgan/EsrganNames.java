package io.ukiyoe.graphs.esrgan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two state-dict namings of the same RRDBNet: the original ESRGAN release ({@code RRDB_ESRGAN_x4.pth}:
 * {@code RRDB_trunk.N.RDBk.convj}, {@code trunk_conv}, {@code upconv1}, {@code HRconv}) and BasicSR /
 * Real-ESRGAN ({@code body.N.rdbk.convj}, {@code conv_body}, {@code conv_up1}, {@code conv_hr}). Model files
 * store the original names (canonical: dots as slashes).
 */
public final class EsrganNames {
    public enum Naming { ORIGINAL, BASICSR }

    private static final Pattern BASICSR_BLOCK = Pattern.compile("body\\.(\\d+)\\.rdb([123])\\.(.*)");
    private static final Pattern ORIGINAL_BLOCK = Pattern.compile("RRDB_trunk\\.(\\d+)\\.RDB([123])\\.(.*)");
    /** BasicSR name of each single conv -> the original name; conv_first and conv_last are the same in both. */
    private static final Map<String, String> SINGLE = Map.of(
            "conv_body", "trunk_conv", "conv_up1", "upconv1", "conv_up2", "upconv2", "conv_hr", "HRconv");

    private EsrganNames() {}

    /** Which naming a state dict uses (BasicSR if any key has a BasicSR-only name). */
    public static Naming namingOf(Iterable<String> keys) {
        for (String k : keys) {
            if (k.startsWith("body.") || SINGLE.containsKey(head(k))) {
                return Naming.BASICSR;
            }
        }
        return Naming.ORIGINAL;
    }

    /** A key of either naming as the original name (unknown keys unchanged). */
    public static String toOriginal(String key) {
        Matcher m = BASICSR_BLOCK.matcher(key);
        if (m.matches()) {
            return "RRDB_trunk." + m.group(1) + ".RDB" + m.group(2) + "." + m.group(3);
        }
        String mapped = SINGLE.get(head(key));
        return mapped == null ? key : mapped + key.substring(head(key).length());
    }

    /** An original name as it is spelled in {@code naming} (for messages that quote the user's file). */
    public static String spelled(String originalKey, Naming naming) {
        if (naming == Naming.ORIGINAL) {
            return originalKey;
        }
        Matcher m = ORIGINAL_BLOCK.matcher(originalKey);
        if (m.matches()) {
            return "body." + m.group(1) + ".rdb" + m.group(2) + "." + m.group(3);
        }
        for (var e : SINGLE.entrySet()) {
            if (head(originalKey).equals(e.getValue())) {
                return e.getKey() + originalKey.substring(e.getValue().length());
            }
        }
        return originalKey;
    }

    /** The RRDB index of an original-name key inside the trunk, or -1. */
    static int blockIndex(String originalKey) {
        Matcher m = ORIGINAL_BLOCK.matcher(originalKey);
        if (!m.matches()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Every tensor of {@code c} by original key (dots), with its shape, in the module-construction order. */
    public static LinkedHashMap<String, long[]> expected(EsrganConfig c) {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        conv(out, "conv_first", c.nf(), c.inChannels());
        for (int n = 0; n < c.nb(); n++) {
            for (int k = 1; k <= 3; k++) {
                for (int j = 1; j <= 5; j++) {
                    conv(out, dense(n, k, j), c.denseOut(j), c.denseIn(j));
                }
            }
        }
        conv(out, "trunk_conv", c.nf(), c.nf());
        conv(out, "upconv1", c.nf(), c.nf());
        conv(out, "upconv2", c.nf(), c.nf());
        conv(out, "HRconv", c.nf(), c.nf());
        conv(out, "conv_last", c.outChannels(), c.nf());
        return out;
    }

    /** Original name of conv {@code j} of dense block {@code k} of RRDB {@code n}. */
    public static String dense(int n, int k, int j) {
        return "RRDB_trunk." + n + ".RDB" + k + ".conv" + j;
    }

    private static void conv(Map<String, long[]> out, String name, int cout, int cin) {
        out.put(name + ".weight", new long[] {cout, cin, 3, 3});
        out.put(name + ".bias", new long[] {cout});
    }

    private static String head(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }
}
