package io.ukiyoe.swap;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.Pos;
import io.ukiyoe.core.config.YamlTree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ukiyoe blend}'s flags as a {@code kind: blend} config tree, over a config file's tree or alone,
 * so that flags and files bind through the one schema ({@link BlendConfig}). Values are YAML; errors
 * name the flag that gave the value.
 */
public final class BlendFlags {
    private BlendFlags() {}

    /** A tree for flags alone: {@code kind: blend}. */
    public static Node.Mapping emptyBlend() {
        Node.Mapping root = new Node.Mapping(new Pos("command line", 1, 1), new LinkedHashMap<>());
        ExperimentConfig.set(root, "kind", "blend", new Pos("blend", 0, 0));
        return root;
    }

    /**
     * Applies the flags to the tree: {@code flags} by config key (null values skipped); with a
     * {@code schedule} flag the schedule parameters go beside it (the flat spelling, replacing a
     * schedule mapping of the file), otherwise into the file's schedule. {@code layers} are
     * {@code GLOB=ALPHA}; {@code preview} keys (seeds, truncation, grid) go under {@code preview}.
     */
    public static void apply(Node.Mapping root, Map<String, String> flags, List<String> layers, Map<String, String> preview) {
        String schedule = flags.get("schedule");
        boolean flatSchedule = schedule != null;
        flags.forEach((k, v) -> {
            if (v != null) {
                String key = !flatSchedule && BlendConfig.FLAT_KEYS.contains(k) ? "schedule." + k : k;
                ExperimentConfig.set(root, key, v, flag(k, v));
            }
        });
        if (flatSchedule && root.get("schedule") instanceof Node.Mapping) {
            root.entries().remove("schedule");
            ExperimentConfig.set(root, "schedule", schedule, flag("schedule", schedule));
        }
        for (String l : layers) {
            int eq = l.lastIndexOf('=');
            if (eq <= 0) {
                throw new UserError("--layer " + l + ": expected GLOB=ALPHA", 2, null);
            }
            Pos pos = new Pos("--layer " + l, 0, 0);
            String glob = l.substring(0, eq);      // globs may hold dots: set directly, not as a dotted key
            mapping(root, "layers").entries().put(glob, new Node.Mapping.Entry(new Node.Key(glob, pos),
                    YamlTree.parseValue(l.substring(eq + 1), pos)));
        }
        if (preview.values().stream().anyMatch(v -> v != null)) {
            mapping(root, "preview");
            preview.forEach((k, v) -> {
                if (v != null) {
                    ExperimentConfig.set(root, "preview." + k, k.equals("seeds") ? "'" + v + "'" : v,
                            new Pos("--" + (k.equals("seeds") ? "preview-seeds" : k) + " " + v, 0, 0));
                }
            });
        }
    }

    private static Pos flag(String key, String value) {
        return new Pos("--" + key.replace('_', '-') + " " + value, 0, 0);
    }

    /** The mapping under a top-level key, made (or made to replace a scalar) when missing. */
    private static Node.Mapping mapping(Node.Mapping root, String key) {
        if (root.get(key) instanceof Node.Mapping m) {
            return m;
        }
        Node.Mapping m = new Node.Mapping(new Pos("command line", 0, 0), new LinkedHashMap<>());
        root.entries().put(key, new Node.Mapping.Entry(new Node.Key(key, m.pos()), m));
        return m;
    }
}
