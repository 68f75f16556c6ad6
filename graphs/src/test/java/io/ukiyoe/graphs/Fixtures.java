package io.ukiyoe.graphs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.nio.file.Files;
import org.nd4j.linalg.api.ndarray.INDArray;
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

    /** A fixture .npy as an ND4J array. */
    public static INDArray npy(String name) {
        return Ops.array(Npy.read(file(name)));
    }

    /** max |a - b| <= 1e-4 * max(1, max |reference|), the acceptance bound of the reference outputs. */
    public static void assertClose(INDArray expected, INDArray actual, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()),
                what + ": shape " + java.util.Arrays.toString(actual.shape()));
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        double tol = 1e-4 * Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(diff <= tol, what + ": max |diff| " + diff + " > " + tol);
    }
}
