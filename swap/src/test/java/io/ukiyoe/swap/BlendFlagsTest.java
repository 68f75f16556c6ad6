package io.ukiyoe.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.YamlTree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlendFlagsTest {
    private static Map<String, String> flags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String scalar(Node n) {
        return ((Node.Scalar) n).text();
    }

    @Test
    void flagsAloneMakeAFlatBlend() {
        Node.Mapping root = BlendFlags.emptyBlend();
        Map<String, String> preview = flags("seeds", "0-3", "truncation", null, "grid", "g.png");
        BlendFlags.apply(root, flags("base", "a.safetensors", "schedule", "sigmoid", "resolution", "16", "width", "0.5",
                "out", null), List.of("synthesis/b8/*=0.25"), preview);
        assertEquals("blend", scalar(root.get("kind")));
        assertEquals("sigmoid", scalar(root.get("schedule")));
        assertEquals("16", scalar(root.get("resolution")));             // beside the schedule: the flat spelling
        assertNull(root.get("out"));
        assertEquals("0.25", scalar(((Node.Mapping) root.get("layers")).get("synthesis/b8/*")));
        Node.Mapping p = (Node.Mapping) root.get("preview");
        assertEquals("0-3", scalar(p.get("seeds")));
        assertEquals("g.png", scalar(p.get("grid")));
        assertNull(p.get("truncation"));
        assertEquals("--width 0.5", ((Node.Mapping) BlendConfig.normalize(root).get("schedule")).get("width").pos()
                .toString());
    }

    @Test
    void scheduleParametersGoIntoTheFilesScheduleUnlessAScheduleFlagReplacesIt() {
        String file = "kind: blend\nbase: a\ntarget: b\nschedule: {type: sigmoid, resolution: 8, width: 1}\n";
        Node.Mapping kept = (Node.Mapping) YamlTree.parse(file, "f.yaml");
        BlendFlags.apply(kept, flags("width", "0.3"), List.of(), Map.of());
        Node.Mapping s = (Node.Mapping) kept.get("schedule");
        assertEquals("0.3", scalar(s.get("width")));
        assertEquals("8", scalar(s.get("resolution")));

        Node.Mapping replaced = (Node.Mapping) YamlTree.parse(file, "f.yaml");
        BlendFlags.apply(replaced, flags("schedule", "swap", "resolution", "16"), List.of(), Map.of());
        assertEquals("swap", scalar(replaced.get("schedule")));
        assertEquals("16", scalar(replaced.get("resolution")));
        assertInstanceOf(Node.Mapping.class, BlendConfig.normalize(replaced).get("schedule"));

        assertThrows(UserError.class, () -> BlendFlags.apply(BlendFlags.emptyBlend(), flags(), List.of("nope"), Map.of()));
    }
}
