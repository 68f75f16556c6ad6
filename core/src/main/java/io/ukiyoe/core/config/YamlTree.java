package io.ukiyoe.core.config;

import io.ukiyoe.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parses YAML (1.2, through Jackson 3's YAML module) into a {@link Node} tree with positions, so
 * binding errors can point at {@code FILE:LINE:COL}. Duplicate keys are errors.
 */
public final class YamlTree {
    private static final YAMLMapper MAPPER = new YAMLMapper();

    private YamlTree() {}

    public static Node parseFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file", 2, e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserError(file + ": not a text file (a YAML config must be UTF-8 text)", 2, e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), 2, e);
        }
        return parse(text, file.toString());
    }

    /** Parses a document; an empty document is an empty mapping. */
    public static Node parse(String text, String source) {
        try (JsonParser p = MAPPER.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Node.Mapping(new Pos(source, 1, 1), new LinkedHashMap<>());
            }
            Node root = read(p, source);
            if (p.nextToken() != null) {
                throw new ConfigException(pos(p, source), "more than one YAML document");
            }
            return root;
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            Pos pos = loc == null ? new Pos(source, 1, 1)
                    : new Pos(source, Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
            throw new ConfigException(pos, "YAML syntax error: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** A single value such as the right-hand side of {@code --set key=value}. */
    public static Node parseValue(String text, Pos pos) {
        try (JsonParser p = MAPPER.createParser(text.isEmpty() ? "''" : text)) {
            p.nextToken();
            Node n = read(p, pos.source());
            return relocate(n, pos);
        } catch (JacksonException e) {
            throw new ConfigException(pos, "cannot parse value: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static Node relocate(Node n, Pos pos) {
        if (n instanceof Node.Scalar s) {
            return new Node.Scalar(pos, s.text(), s.type());
        }
        if (n instanceof Node.Seq s) {
            return new Node.Seq(pos, s.items().stream().map(i -> relocate(i, pos)).toList());
        }
        Node.Mapping m = (Node.Mapping) n;
        LinkedHashMap<String, Node.Mapping.Entry> out = new LinkedHashMap<>();
        m.entries().forEach((k, e) -> out.put(k, new Node.Mapping.Entry(new Node.Key(k, pos), relocate(e.value(), pos))));
        return new Node.Mapping(pos, out);
    }

    /**
     * The parser's reason on one line. SnakeYAML-engine reports "context / problem" blocks, each
     * followed by " in reader, line L, column C:" and an excerpt; keep the problem and say where the
     * context started.
     */
    static String firstLine(String s) {
        if (s == null) {
            return "invalid YAML";
        }
        List<String> lines = s.strip().lines().toList();
        List<String> heads = new ArrayList<>();
        List<String> wheres = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0))) {
                heads.add(l.strip());
                String next = i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
                wheres.add(next.startsWith("in ") ? trimColon(next.replaceFirst("^in [^,]*, ", "")) : "");
            }
        }
        if (heads.isEmpty()) {
            return trimColon(lines.isEmpty() ? "invalid YAML" : lines.get(0).strip());
        }
        String problem = heads.get(heads.size() - 1);
        if (heads.size() > 1 && !wheres.get(0).isEmpty()) {
            return problem + " (" + heads.get(0) + " that starts at " + wheres.get(0) + ")";
        }
        return problem;
    }

    private static String trimColon(String l) {
        return l.endsWith(":") ? l.substring(0, l.length() - 1) : l;
    }

    private static Pos pos(JsonParser p, String source) {
        TokenStreamLocation loc = p.currentTokenLocation();
        return new Pos(source, Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    private static Node read(JsonParser p, String source) {
        JsonToken t = p.currentToken();
        Pos at = pos(p, source);
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, Node.Mapping.Entry> entries = new LinkedHashMap<>();
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    Pos keyPos = pos(p, source);
                    if (entries.containsKey(name)) {
                        throw new ConfigException(keyPos, "duplicate key '" + name + "' (first at line "
                                + entries.get(name).key().pos().line() + ")");
                    }
                    p.nextToken();
                    entries.put(name, new Node.Mapping.Entry(new Node.Key(name, keyPos), read(p, source)));
                }
                return new Node.Mapping(at, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, source));
                }
                return new Node.Seq(at, items);
            }
            case VALUE_STRING -> {
                return new Node.Scalar(at, p.getString(), Node.ScalarType.STRING);
            }
            case VALUE_NUMBER_INT -> {
                return new Node.Scalar(at, p.getText(), Node.ScalarType.INT);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node.Scalar(at, p.getText(), Node.ScalarType.FLOAT);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node.Scalar(at, p.getText(), Node.ScalarType.BOOL);
            }
            case VALUE_NULL -> {
                return new Node.Scalar(at, "null", Node.ScalarType.NULL);
            }
            default -> throw new ConfigException(at, "unsupported YAML content (" + t + ")");
        }
    }
}
