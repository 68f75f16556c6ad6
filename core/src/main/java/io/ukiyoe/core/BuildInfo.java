package io.ukiyoe.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions fixed at build time: this project, DL4J/ND4J, and the backend artifact it was built with. */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public static String projectVersion() {
        return PROPS.getProperty("project.version", "unknown");
    }

    public static String dl4jVersion() {
        return PROPS.getProperty("dl4j.version", "unknown");
    }

    /** The backend artifact and classifier chosen at build time, e.g. nd4j-native:linux-x86_64-onednn-avx2. */
    public static String backendArtifact() {
        return PROPS.getProperty("nd4j.backend", "unknown") + ":" + PROPS.getProperty("nd4j.backend.classifier", "");
    }
}
