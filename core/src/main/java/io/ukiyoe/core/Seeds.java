package io.ukiyoe.core;

import java.util.ArrayList;
import java.util.List;

/** A list of seeds written as ranges and commas: {@code 0-7}, {@code 1,7,42}, {@code 0-3,10}. */
public record Seeds(List<Long> values, String text) {
    public Seeds {
        values = List.copyOf(values);
    }

    public static Seeds parse(String text) {
        List<Long> out = new ArrayList<>();
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("must be seeds like 0-7 or 1,7,42, got ''");
        }
        for (String part : t.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    long a = Long.parseLong(p.substring(0, dash).strip());
                    long b = Long.parseLong(p.substring(dash + 1).strip());
                    if (b < a || b - a > 1_000_000) {
                        throw new IllegalArgumentException("must be seeds like 0-7 or 1,7,42, got '" + text
                                + "' (bad range " + p + ")");
                    }
                    for (long s = a; s <= b; s++) {
                        out.add(s);
                    }
                } else {
                    out.add(Long.parseLong(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be seeds like 0-7 or 1,7,42, got '" + text + "'");
            }
        }
        for (long s : out) {
            if (s < 0 || s > 0xffffffffL) {
                throw new IllegalArgumentException("seeds must be between 0 and 4294967295, got " + s);
            }
        }
        return new Seeds(out, t);
    }

    public int size() {
        return values.size();
    }

    @Override
    public String toString() {
        return text;
    }
}
