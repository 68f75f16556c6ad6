package io.ukiyoe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    void tasksRunInSeparateExecutorJvms() {
        String self = ManagementFactory.getRuntimeMXBean().getName();
        try (SparkCluster c = SparkCluster.connect("local-cluster[2,1,2048]", executorSettings())) {
            List<String> jvms = c.map(List.of(0, 1, 2, 3, 4, 5), i -> ManagementFactory.getRuntimeMXBean().getName());
            assertTrue(!new HashSet<>(jvms).contains(self), "tasks ran in the driver: " + jvms);
            assertEquals(6, jvms.size());
        }
    }
}
