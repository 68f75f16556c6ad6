package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the training command tests look at in run folders. */
final class RunFiles {
    private RunFiles() {}

    /** The file names in a folder, sorted. */
    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The largest |difference| between the same tensors of the same model files in two run folders. */
    static double maxDiff(Path runA, Path runB, List<String> files) {
        double max = 0;
        for (String n : files) {
            Map<String, Tensor> x = Safetensors.read(runA.resolve(n)).tensors();
            Map<String, Tensor> y = Safetensors.read(runB.resolve(n)).tensors();
            assertEquals(x.keySet(), y.keySet());
            for (var e : x.entrySet()) {
                float[] p = e.getValue().data();
                float[] q = y.get(e.getKey()).data();
                for (int i = 0; i < p.length; i++) {
                    max = Math.max(max, Math.abs(p[i] - q[i]));
                }
            }
        }
        return max;
    }
}
