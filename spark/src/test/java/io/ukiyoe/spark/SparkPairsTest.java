package io.ukiyoe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Task;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.training.distill.PairsConfig;
import io.ukiyoe.training.distill.PairsJob;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** distill pairs with a Spark task per shard writes the same bytes as the plain run, also when a task dies once. */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class SparkPairsTest {
    @TempDir
    Path dir;

    /** Three shards of two pairs (seeds 0-5), in batches of two. */
    static PairsConfig config(Path out) {
        return new PairsConfig(Fixtures.file("rosinality_tiny.pt").toString(), Fixtures.file("rosinality_tiny_target.pt").toString(),
                Seeds.parse("0-5"), 0.7, PairsConfig.Noise.CONST, null, 2, 2, null, out.toString());
    }

    /** Every file of a folder (relative path -> SHA-256). */
    static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Hashing.sha256(p));
            }
        }
        return m;
    }

    @Test
    void threeShardsOnSparkEqualThePlainRunByteForByteEvenWhenATaskDies() throws Exception {
        Path plain = dir.resolve("plain");
        PairsJob.run(config(plain), new PairsJob.Listener() {});
        Map<String, String> expected = contents(plain);
        assertEquals(6 * 2 + 3 + 1, expected.size(), expected.keySet().toString());   // PNGs, latents, pairs.json

        Path onSpark = dir.resolve("spark");
        Path marker = dir.resolve("shard-1-failed-once");
        try (SparkCluster spark = SparkCluster.connect("local[2]")) {
            PairsJob.Summary s = PairsJob.run(config(onSpark), new PairsJob.Listener() {}, new FailOnce(spark, marker.toString()));
            assertEquals(3, s.shards());
        }
        assertTrue(Files.exists(marker), "shard 1's first attempt failed");
        assertEquals(expected, contents(onSpark));
    }

    /** Another engine's tasks, except that the first attempt of the task for shard 1 throws (Spark retries it). */
    record FailOnce(Cluster inner, String marker) implements Cluster {
        @Override
        public <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> task, IntConsumer progress) {
            String m = marker;
            return inner.map(items, item -> {
                if (item.toString().contains("shard=1,") && !Files.exists(Path.of(m))) {
                    try {
                        Files.createFile(Path.of(m));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    throw new IllegalStateException("injected: the executor running shard 1 died");
                }
                return task.apply(item);
            }, progress);
        }

        @Override
        public int parallelism() {
            return inner.parallelism();
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
