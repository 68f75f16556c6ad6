package io.ukiyoe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.training.distill.PairsJob;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local-cluster[2,1,2048]}: a standalone master and two executor JVMs, as on a real cluster (the
 * executors get the test's class path through SPARK_TESTING, set in this module's pom).
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SparkLocalClusterTest {
    static SparkConf executorSettings() {
        return new SparkConf().set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.cachedir="
                + System.getProperty("org.bytedeco.javacpp.cachedir") + " -Djava.awt.headless=true");
    }

    @Test
    void pairsWithExecutorJvmsEqualThePlainRun(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain");
        PairsJob.run(SparkPairsTest.config(plain), new PairsJob.Listener() {});
        Path onCluster = dir.resolve("cluster");
        String self = ManagementFactory.getRuntimeMXBean().getName();
        try (SparkCluster c = SparkCluster.connect("local-cluster[2,1,2048]", executorSettings())) {
            List<String> jvms = c.map(List.of(0, 1, 2, 3), i -> ManagementFactory.getRuntimeMXBean().getName());
            assertTrue(!new HashSet<>(jvms).contains(self), "tasks ran in the driver: " + jvms);
            PairsJob.run(SparkPairsTest.config(onCluster), new PairsJob.Listener() {}, c);
        }
        assertEquals(SparkPairsTest.contents(plain), SparkPairsTest.contents(onCluster));
    }
}
