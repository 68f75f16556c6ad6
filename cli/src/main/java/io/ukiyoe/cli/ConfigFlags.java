package io.ukiyoe.cli;

import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.Pos;
import io.ukiyoe.core.config.YamlTree;
import java.util.LinkedHashMap;

/**
 * Command-line flags as config keys: commands that take a config or flags ('blend', 'toonify') put each
 * flag given into the YAML tree, over the file's value, so the strict binder checks both alike and its
 * errors name the flag.
 */
final class ConfigFlags {
    private ConfigFlags() {}

    /** Sets a dotted key in the tree to a YAML value (null value: make sure a mapping exists). */
    static void put(Node.Mapping root, String dotted, String yaml, String flag) {
        String[] parts = dotted.split("\\.");
        Node.Mapping cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Node next = cur.get(parts[i]);
            Node.Mapping nm;
            if (next instanceof Node.Mapping existing) {
                nm = existing;
            } else {
                nm = new Node.Mapping(new Pos(flag == null ? "command line" : flag, 0, 0), new LinkedHashMap<>());
                cur.entries().put(parts[i], new Node.Mapping.Entry(new Node.Key(parts[i], nm.pos()), nm));
            }
            cur = nm;
        }
        String last = parts[parts.length - 1];
        if (yaml == null) {
            if (!(cur.get(last) instanceof Node.Mapping)) {
                Node.Mapping nm = new Node.Mapping(new Pos("command line", 0, 0), new LinkedHashMap<>());
                cur.entries().put(last, new Node.Mapping.Entry(new Node.Key(last, nm.pos()), nm));
            }
            return;
        }
        Pos pos = new Pos(flag, 0, 0);
        cur.entries().put(last, new Node.Mapping.Entry(new Node.Key(last, pos), YamlTree.parseValue(yaml, pos)));
    }

    /** A flag's text as a YAML string scalar (quoted: paths may hold ':' or '#'). */
    static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
