package io.ukiyoe.core.config;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** Writes bound configs back as YAML that binds to the same values (used for resolved configs). */
public final class ConfigWriter {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    private ConfigWriter() {}

    public static String yaml(Object tree) {
        return MAPPER.writeValueAsString(tree);
    }

    /** A record as nested maps, lists and scalars, keys spelt as in YAML. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toTree(Object record) {
        return (Map<String, Object>) plain(record);
    }

    static Object plain(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Path p) {
            return p.toString();
        }
        if (v instanceof Enum<?> e) {
            return Binder.enumName(e);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v.getClass().isRecord() && Binder.parseMethod(v.getClass()) == null) {
            Map<String, Object> out = new LinkedHashMap<>();
            Schema.Variant variant = v.getClass().getAnnotation(Schema.Variant.class);
            if (variant != null) {
                for (Class<?> i : v.getClass().getInterfaces()) {
                    Schema.Discriminator d = i.getAnnotation(Schema.Discriminator.class);
                    if (d != null) {
                        out.put(d.value(), variant.value());
                    }
                }
            }
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                try {
                    var acc = c.getAccessor();
                    acc.setAccessible(true);
                    out.put(Binder.keyOf(c), plain(acc.invoke(v)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        return v.toString(); // value types with a parse(String) method print as they parse
    }

    static int countLeaves(Object tree) {
        if (tree instanceof Map<?, ?> m) {
            return m.values().stream().mapToInt(ConfigWriter::countLeaves).sum();
        }
        return 1;
    }
}
