package io.ukiyoe.core.config;

import io.ukiyoe.core.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded experiment: YAML file + {@code --set} overrides, bound strictly to the schema its
 * {@code kind:} selects. The file itself is never changed.
 */
public record ExperimentConfig<T>(String kind, Path file, Binder.Bound<T> bound, int settingsInFile) {

    public T value() {
        return bound.value();
    }

    /** Loads {@code file}, applies the overrides in order, and binds it to its kind's schema. */
    public static ExperimentConfig<?> load(Path file, List<String> overrides, ConfigKinds kinds) {
        Node root = YamlTree.parseFile(file);
        return bind(root, file, overrides, kinds, null);
    }

    /** Binds an already-built tree (e.g. from command-line flags) like a file. */
    public static <T> ExperimentConfig<T> fromTree(Node.Mapping root, Path file, List<String> overrides,
                                                   ConfigKinds kinds, String expected, Class<T> type) {
        @SuppressWarnings("unchecked")
        ExperimentConfig<T> c = (ExperimentConfig<T>) bind(root, file, overrides, kinds, expected);
        return c;
    }

    /** Like {@link #load} but the kind must be {@code expected} (a command that runs one kind). */
    public static <T> ExperimentConfig<T> load(Path file, List<String> overrides, ConfigKinds kinds,
                                               String expected, Class<T> type) {
        Node root = YamlTree.parseFile(file);
        @SuppressWarnings("unchecked")
        ExperimentConfig<T> c = (ExperimentConfig<T>) bind(root, file, overrides, kinds, expected);
        return c;
    }

    static ExperimentConfig<?> bind(Node root, Path file, List<String> overrides, ConfigKinds kinds,
                                    String expected) {
        if (!(root instanceof Node.Mapping m)) {
            throw new ConfigException(root.pos(), "a config must be a mapping of keys, got " + root.describe());
        }
        int inFile = countLeaves(m);
        for (String o : overrides) {
            applyOverride(m, o);
        }
        Node kindNode = m.get("kind");
        if (kindNode == null) {
            throw new ConfigException(m.pos(), "missing 'kind:' (valid kinds: " + kinds.names() + ")");
        }
        String kind = kindNode instanceof Node.Scalar s ? s.text() : kindNode.describe();
        Class<? extends Record> schema = kinds.all().get(kind);
        if (schema == null) {
            String hint = Binder.Suggest.closest(kind, kinds.all().keySet())
                    .map(x -> "did you mean '" + x + "'? ").orElse("");
            throw new ConfigException(kindNode.pos(), "unknown kind '" + kind + "' (" + hint + "valid kinds: "
                    + kinds.names() + ")");
        }
        if (expected != null && !expected.equals(kind)) {
            throw new ConfigException(kindNode.pos(), "this command runs 'kind: " + expected
                    + "' configs, this file is 'kind: " + kind + "'");
        }
        Binder.Bound<? extends Record> bound = Binder.bindRecord(kinds.normalize(kind, m), schema, Set.of("kind"));
        return new ExperimentConfig<>(kind, file, bound, inFile);
    }

    /** Applies one {@code key.path=value} override to the tree; the value is parsed as YAML. */
    public static void applyOverride(Node.Mapping root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new UserError("--set " + override + ": expected key.path=value", 2, null);
        }
        String path = override.substring(0, eq).strip();
        for (String k : path.split("\\.", -1)) {
            if (k.isEmpty()) {
                throw new UserError("--set " + override + ": empty key in '" + path + "'", 2, null);
            }
        }
        set(root, path, override.substring(eq + 1), Pos.override(override));
    }

    /**
     * Sets a dotted key of the tree to a value parsed as YAML, making the mappings on its way;
     * {@code pos} says where the value came from (a {@code --set}, a command's flag) in errors.
     */
    public static void set(Node.Mapping root, String path, String yamlValue, Pos pos) {
        String[] parts = path.split("\\.", -1);
        Node.Mapping cur = root;
        for (int i = 0; i < parts.length; i++) {
            String k = parts[i];
            if (i == parts.length - 1) {
                Node value = YamlTree.parseValue(yamlValue, pos);
                cur.entries().put(k, new Node.Mapping.Entry(new Node.Key(k, pos), value));
                return;
            }
            Node next = cur.get(k);
            if (next == null) {
                Node.Mapping created = new Node.Mapping(pos, new LinkedHashMap<>());
                cur.entries().put(k, new Node.Mapping.Entry(new Node.Key(k, pos), created));
                cur = created;
            } else if (next instanceof Node.Mapping nm) {
                cur = nm;
            } else {
                throw new ConfigException(pos, String.join(".", java.util.Arrays.copyOf(parts, i + 1))
                        + ": is " + next.describe() + ", not a mapping");
            }
        }
    }

    private static int countLeaves(Node n) {
        if (n instanceof Node.Mapping m) {
            return m.entries().values().stream().mapToInt(e -> countLeaves(e.value())).sum();
        }
        return 1;
    }

    /** The config with every default filled in, as YAML (kind first). */
    public String resolvedYaml() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("kind", kind);
        tree.putAll(ConfigWriter.toTree(value()));
        return ConfigWriter.yaml(tree);
    }

    /** How many leaf settings the resolved config has. */
    public int settingsResolved() {
        return ConfigWriter.countLeaves(ConfigWriter.toTree(value()));
    }
}
