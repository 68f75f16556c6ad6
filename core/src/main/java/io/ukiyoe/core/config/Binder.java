package io.ukiyoe.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a {@link Node} tree to records annotated with {@link Schema}: unknown keys, wrong types,
 * values out of range and missing keys are {@link ConfigException}s at the offending position.
 * Every bound value's position is remembered by path so that later checks (e.g. against a loaded
 * model) can still point into the file.
 */
public final class Binder {
    private final Map<String, Pos> positions = new LinkedHashMap<>();

    /** A bound value and where each of its settings came from (dotted path -> position). */
    public record Bound<T>(T value, Map<String, Pos> positions) {
        /** The position of a dotted path, or of its nearest parent that has one. */
        public Pos pos(String path) {
            String p = path;
            while (true) {
                Pos pos = positions.get(p);
                if (pos != null) {
                    return pos;
                }
                int dot = p.lastIndexOf('.');
                if (dot < 0) {
                    return positions.getOrDefault("", new Pos("config", 1, 1));
                }
                p = p.substring(0, dot);
            }
        }

        /** A config error at the position of {@code path}, phrased like the binder's own. */
        public ConfigException error(String path, String reason) {
            return new ConfigException(pos(path), path + ": " + reason);
        }
    }

    private Binder() {}

    public static <T> Bound<T> bind(Node node, Class<T> type) {
        Binder b = new Binder();
        b.positions.put("", node.pos());
        T value = type.cast(b.value(node, type, null, ""));
        return new Bound<>(value, Map.copyOf(b.positions));
    }

    /** Binds a mapping to a record, ignoring the keys in {@code skip} (e.g. {@code kind}). */
    public static <T> Bound<T> bindRecord(Node.Mapping node, Class<T> type, Collection<String> skip) {
        Binder b = new Binder();
        b.positions.put("", node.pos());
        T value = type.cast(b.record(node, type, "", skip));
        return new Bound<>(value, Map.copyOf(b.positions));
    }

    /** The YAML key of a record component. */
    public static String keyOf(RecordComponent c) {
        Schema.Key k = c.getAnnotation(Schema.Key.class);
        return k != null ? k.value() : snake(c.getName());
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** The config spelling of an enum constant: lower case, '_' as '-'. */
    public static String enumName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Object value(Node node, Type type, RecordComponent comp, String path) {
        positions.put(path, node.pos());
        Class<?> raw = rawClass(type);
        if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.NULL && !raw.isPrimitive()
                && comp != null && isOptional(comp)) {
            return null;
        }
        if (raw.isRecord() && parseMethod(raw) == null) {
            return record(expectMapping(node, path, "a mapping"), raw, path, List.of());
        }
        if (raw.isInterface() && raw.isSealed() && raw.isAnnotationPresent(Schema.Discriminator.class)) {
            return variant(node, raw, path);
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!(node instanceof Node.Seq seq)) {
                throw mismatch(path, "a list", node);
            }
            Type elem = typeArg(type, 0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                out.add(value(seq.items().get(i), elem, null, path + "[" + i + "]"));
            }
            return List.copyOf(out);
        }
        if (Map.class.isAssignableFrom(raw)) {
            Node.Mapping m = expectMapping(node, path, "a mapping");
            Class<?> keyType = rawClass(typeArg(type, 0));
            Type valType = typeArg(type, 1);
            LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
            for (Node.Mapping.Entry e : m.entries().values()) {
                String k = e.key().name();
                Object key = k;
                if (keyType == Integer.class) {
                    try {
                        key = Integer.parseInt(k);
                    } catch (NumberFormatException ex) {
                        throw new ConfigException(e.key().pos(), join(path, k) + ": key must be an integer");
                    }
                }
                positions.put(join(path, k), e.value().pos());
                out.put(key, value(e.value(), valType, comp, join(path, k)));
            }
            return java.util.Collections.unmodifiableMap(out);
        }
        return scalar(node, raw, comp, path);
    }

    private static boolean isOptional(RecordComponent comp) {
        Schema.Default d = comp.getAnnotation(Schema.Default.class);
        return d != null && d.value().equals("null");
    }

    private Node.Mapping expectMapping(Node node, String path, String what) {
        if (node instanceof Node.Mapping m) {
            return m;
        }
        throw mismatch(path, what, node);
    }

    private static ConfigException mismatch(String path, String expected, Node got) {
        String prefix = path.isEmpty() ? "" : path + ": ";
        return new ConfigException(got.pos(), prefix + "must be " + expected + ", got " + got.describe());
    }

    private Object record(Node.Mapping m, Class<?> type, String path, Collection<String> skip) {
        RecordComponent[] comps = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent c : comps) {
            byKey.put(keyOf(c), c);
        }
        for (Node.Mapping.Entry e : m.entries().values()) {
            String k = e.key().name();
            if (!byKey.containsKey(k) && !skip.contains(k)) {
                String where = path.isEmpty() ? "at top level" : "in " + path;
                String hint = Suggest.closest(k, byKey.keySet()).map(s -> " (did you mean '" + s + "'?)")
                        .orElse(" (valid keys: " + String.join(", ", byKey.keySet()) + ")");
                throw new ConfigException(e.key().pos(), "unknown key '" + k + "' " + where + hint);
            }
        }
        Object[] args = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            String key = keyOf(c);
            String sub = join(path, key);
            Node v = m.get(key);
            if (v == null) {
                Schema.Default d = c.getAnnotation(Schema.Default.class);
                if (d == null) {
                    String where = path.isEmpty() ? "" : path + ": ";
                    throw new ConfigException(m.pos(), where + "missing required key '" + key + "'");
                }
                if (d.value().equals("null")) {
                    args[i] = null;
                    continue;
                }
                Node def = YamlTree.parseValue(d.value(), new Pos("default of " + sub, 0, 0));
                args[i] = value(def, c.getGenericType(), c, sub);
                positions.remove(sub); // a default has no place in the file; errors point at the parent
            } else {
                args[i] = value(v, c.getGenericType(), c, sub);
            }
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(
                    Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            // A record's compact constructor rejected a combination of values.
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            if (cause instanceof IllegalArgumentException iae) {
                String prefix = path.isEmpty() ? "" : path + ": ";
                throw new ConfigException(m.pos(), prefix + iae.getMessage());
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** The records that implement a sealed {@link Schema.Discriminator} interface, by variant name. */
    public static Map<String, Class<?>> variants(Class<?> sealed) {
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            Schema.Variant v = c.getAnnotation(Schema.Variant.class);
            if (v == null) {
                throw new IllegalStateException(c + " lacks @Variant");
            }
            out.put(v.value(), c);
        }
        return out;
    }

    private Object variant(Node node, Class<?> sealed, String path) {
        String disc = sealed.getAnnotation(Schema.Discriminator.class).value();
        Map<String, Class<?>> variants = variants(sealed);
        String valid = String.join(", ", variants.keySet());
        Node.Mapping m;
        if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.STRING) {
            // Shorthand: "schedule: swap" is {type: swap} with every other setting at its default.
            LinkedHashMap<String, Node.Mapping.Entry> e = new LinkedHashMap<>();
            e.put(disc, new Node.Mapping.Entry(new Node.Key(disc, s.pos()), s));
            m = new Node.Mapping(s.pos(), e);
        } else {
            m = expectMapping(node, path, "a mapping with '" + disc + "' (one of " + valid + ")");
        }
        Node d = m.get(disc);
        if (d == null) {
            throw new ConfigException(m.pos(), join(path, disc) + ": missing (one of " + valid + ")");
        }
        String name = d instanceof Node.Scalar s ? s.text() : d.describe();
        Class<?> chosen = variants.get(name);
        if (chosen == null) {
            String hint = Suggest.closest(name, variants.keySet()).map(x -> "did you mean '" + x + "'? ")
                    .orElse("");
            throw new ConfigException(d.pos(), join(path, disc) + ": unknown " + disc + " '" + name + "' ("
                    + hint + "valid: " + valid + ")");
        }
        positions.put(join(path, disc), d.pos());
        return record(m, chosen, path, List.of(disc));
    }

    private Object scalar(Node node, Class<?> raw, RecordComponent comp, String path) {
        String expected = expectation(raw, comp);
        if (!(node instanceof Node.Scalar s)) {
            throw mismatch(path, expected, node);
        }
        try {
            if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
                if (s.type() != Node.ScalarType.INT) {
                    throw mismatch(path, expected, node);
                }
                long v;
                try {
                    v = Long.parseLong(s.text().replace("_", ""));
                } catch (NumberFormatException e) {
                    throw mismatch(path, expected, node);
                }
                if ((raw == int.class || raw == Integer.class) && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
                    throw mismatch(path, expected, node);
                }
                checkNumber(v, comp, path, expected, node);
                return raw == int.class || raw == Integer.class ? (Object) (int) v : (Object) v;
            }
            if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
                if (s.type() != Node.ScalarType.INT && s.type() != Node.ScalarType.FLOAT) {
                    throw mismatch(path, expected, node);
                }
                double v = Double.parseDouble(s.text());
                if (!Double.isFinite(v)) {
                    throw mismatch(path, expected, node);
                }
                checkNumber(v, comp, path, expected, node);
                return raw == float.class || raw == Float.class ? (Object) (float) v : (Object) v;
            }
            if (raw == boolean.class || raw == Boolean.class) {
                if (s.type() != Node.ScalarType.BOOL) {
                    throw mismatch(path, expected, node);
                }
                return Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
            }
            if (s.type() == Node.ScalarType.NULL) {
                throw mismatch(path, expected, node);
            }
            if (raw == String.class) {
                return s.text();
            }
            if (raw == Path.class) {
                return Path.of(s.text());
            }
            if (raw.isEnum()) {
                for (Object c : raw.getEnumConstants()) {
                    if (enumName((Enum<?>) c).equals(s.text())) {
                        return c;
                    }
                }
                throw mismatch(path, expected, node);
            }
            Method parse = parseMethod(raw);
            if (parse != null) {
                try {
                    return parse.invoke(null, s.text());
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof IllegalArgumentException iae) {
                        throw new ConfigException(node.pos(), path + ": " + iae.getMessage());
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("config type not supported: " + raw);
    }

    /** A value type written as one string: a static {@code parse(String)} returning the type. */
    static Method parseMethod(Class<?> raw) {
        try {
            Method m = raw.getMethod("parse", String.class);
            return Modifier.isStatic(m.getModifiers()) && raw.isAssignableFrom(m.getReturnType()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static void checkNumber(double v, RecordComponent comp, String path, String expected, Node node) {
        if (comp == null) {
            return;
        }
        boolean ok = true;
        if (comp.isAnnotationPresent(Schema.Positive.class)) {
            ok = v > 0;
        }
        if (comp.isAnnotationPresent(Schema.NonNegative.class)) {
            ok &= v >= 0;
        }
        Schema.Range r = comp.getAnnotation(Schema.Range.class);
        if (r != null) {
            ok &= v >= r.min() && v <= r.max();
        }
        Schema.PowerOfTwo p2 = comp.getAnnotation(Schema.PowerOfTwo.class);
        if (p2 != null) {
            long l = (long) v;
            ok &= l >= p2.min() && l <= p2.max() && Long.bitCount(l) == 1;
        }
        if (!ok) {
            throw mismatch(path, expected, node);
        }
    }

    /** What a value of this type and these constraints must be, e.g. "a positive integer". */
    static String expectation(Class<?> raw, RecordComponent comp) {
        boolean integer = raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class;
        boolean number = integer || raw == double.class || raw == Double.class || raw == float.class
                || raw == Float.class;
        if (number) {
            String noun = integer ? "integer" : "number";
            if (comp != null) {
                Schema.PowerOfTwo p2 = comp.getAnnotation(Schema.PowerOfTwo.class);
                if (p2 != null) {
                    return "a power of two between " + p2.min() + " and " + p2.max();
                }
                Schema.Range r = comp.getAnnotation(Schema.Range.class);
                if (r != null) {
                    return "a" + (integer ? "n " : " ") + noun + " in [" + fmt(r.min()) + ", " + fmt(r.max()) + "]";
                }
                if (comp.isAnnotationPresent(Schema.Positive.class)) {
                    return "a positive " + noun;
                }
                if (comp.isAnnotationPresent(Schema.NonNegative.class)) {
                    return "a non-negative " + noun;
                }
            }
            return integer ? "an integer" : "a number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : raw.getEnumConstants()) {
                names.add(enumName((Enum<?>) c));
            }
            return "one of " + String.join(", ", names);
        }
        if (raw == Path.class) {
            return "a file path";
        }
        return "a string";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("config type not supported: " + t);
    }

    private static Type typeArg(Type t, int i) {
        if (t instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[i];
        }
        return String.class;
    }

    /** Closest-spelling suggestions for unknown names. */
    public static final class Suggest {
        private Suggest() {}

        public static java.util.Optional<String> closest(String word, Collection<String> candidates) {
            return candidates.stream()
                    .filter(c -> distance(word, c) <= Math.max(2, Math.min(word.length(), c.length()) / 3))
                    .min(Comparator.comparingInt(c -> distance(word, c)));
        }

        static int distance(String a, String b) {
            int[][] d = new int[a.length() + 1][b.length() + 1];
            for (int i = 0; i <= a.length(); i++) {
                d[i][0] = i;
            }
            for (int j = 0; j <= b.length(); j++) {
                d[0][j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                    if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1); // transposition
                    }
                }
            }
            return d[a.length()][b.length()];
        }
    }
}
