package io.ukiyoe.core.io;

import java.util.ArrayList;
import java.util.List;

/** The CSV cells of results tables: every text cell quoted, quotes doubled (RFC 4180). */
public final class Csv {
    private Csv() {}

    public static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** The cells of one line, quotes removed. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (q) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    q = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                q = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
