package io.ukiyoe.graphs;

import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The reference fixtures in ../shared/fixtures (see their README). */
public final class Fixtures {
    private Fixtures() {}

    public static Path dir() {
        Path p = Path.of(System.getProperty("ukiyoe.shared", "../../shared")).resolve("fixtures");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixtures not found at " + p.toAbsolutePath());
        }
        return p;
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    public static JsonNode json(String name) {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(file(name)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
