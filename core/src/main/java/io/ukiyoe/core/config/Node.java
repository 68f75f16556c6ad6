package io.ukiyoe.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML document as a tree that remembers where every key and value was written. */
public sealed interface Node {
    Pos pos();

    /** A short description for error messages: "a mapping", "a list", or the scalar as written. */
    String describe();

    /** A scalar as the YAML 1.2 core schema resolved it. */
    enum ScalarType { STRING, INT, FLOAT, BOOL, NULL }

    record Scalar(Pos pos, String text, ScalarType type) implements Node {
        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "'" + text + "'";
                case NULL -> "nothing (null)";
                default -> text;
            };
        }
    }

    record Seq(Pos pos, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A key of a mapping, with the position of the key itself (for "unknown key" errors). */
    record Key(String name, Pos pos) {}

    record Mapping(Pos pos, LinkedHashMap<String, Entry> entries) implements Node {
        public record Entry(Key key, Node value) {}

        @Override
        public String describe() {
            return "a mapping";
        }

        public Node get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        public Map<String, Entry> view() {
            return entries;
        }
    }
}
