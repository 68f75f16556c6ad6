package io.ukiyoe.core.cluster;

import io.ukiyoe.core.config.Binder;
import io.ukiyoe.core.config.ConfigWriter;
import io.ukiyoe.core.config.YamlTree;

/** Config records sent to workers as their YAML text (records and paths are not serializable). */
public final class Shipped {
    private Shipped() {}

    /** A bound config record as the YAML that binds back to it. */
    public static String config(Object record) {
        return ConfigWriter.yaml(ConfigWriter.toTree(record));
    }

    /** The record that {@link #config(Object)} wrote. */
    public static <T> T config(String yaml, Class<T> type) {
        return Binder.bind(YamlTree.parse(yaml, "shipped " + type.getSimpleName()), type).value();
    }
}
