package io.ukiyoe.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The experiment kinds the program knows: the value of a config's top-level {@code kind:} -> its schema. */
public final class ConfigKinds {
    private final Map<String, Class<? extends Record>> kinds = new LinkedHashMap<>();

    public ConfigKinds register(String kind, Class<? extends Record> schema) {
        if (kinds.put(kind, schema) != null) {
            throw new IllegalStateException("config kind registered twice: " + kind);
        }
        return this;
    }

    public Map<String, Class<? extends Record>> all() {
        return Collections.unmodifiableMap(kinds);
    }

    public String names() {
        return String.join(", ", kinds.keySet());
    }
}
