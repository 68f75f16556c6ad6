package io.ukiyoe.cli;

import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.Pos;

/**
 * Command-line flags as config keys: commands that take a config or flags ('toonify') put each flag given
 * into the YAML tree, over the file's value, so the strict binder checks both alike and its errors name the
 * flag.
 */
final class ConfigFlags {
    private ConfigFlags() {}

    /** Sets a dotted key in the tree to a YAML value; errors name {@code flag}. */
    static void put(Node.Mapping root, String dotted, String yaml, String flag) {
        ExperimentConfig.set(root, dotted, yaml, new Pos(flag, 0, 0));
    }

    /** A flag's text as a YAML string scalar (quoted: paths may hold ':' or '#'). */
    static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
