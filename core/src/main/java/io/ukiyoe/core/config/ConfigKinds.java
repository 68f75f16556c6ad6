package io.ukiyoe.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The experiment kinds the program knows: the value of a config's top-level {@code kind:} -> its schema. */
public final class ConfigKinds {
    private final Map<String, Class<? extends Record>> kinds = new LinkedHashMap<>();
    private final Map<String, UnaryOperator<Node.Mapping>> normalizers = new LinkedHashMap<>();

    public ConfigKinds register(String kind, Class<? extends Record> schema) {
        return register(kind, schema, UnaryOperator.identity());
    }

    /**
     * Registers a kind whose YAML may be rewritten before binding (e.g. to accept a shorter
     * spelling); the rewrite must keep the positions of the nodes it moves.
     */
    public ConfigKinds register(String kind, Class<? extends Record> schema, UnaryOperator<Node.Mapping> normalize) {
        if (kinds.put(kind, schema) != null) {
            throw new IllegalStateException("config kind registered twice: " + kind);
        }
        normalizers.put(kind, normalize);
        return this;
    }

    public Node.Mapping normalize(String kind, Node.Mapping root) {
        return normalizers.getOrDefault(kind, UnaryOperator.identity()).apply(root);
    }

    public Map<String, Class<? extends Record>> all() {
        return Collections.unmodifiableMap(kinds);
    }

    public String names() {
        return String.join(", ", kinds.keySet());
    }
}
