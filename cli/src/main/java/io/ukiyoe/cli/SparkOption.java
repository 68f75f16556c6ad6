package io.ukiyoe.cli;

import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Clusters;
import picocli.CommandLine.Option;

/** {@code --spark MASTER}: the mixin of the commands whose work can spread over a Spark cluster. */
final class SparkOption {
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the parallel part as Spark tasks: local[N], spark://HOST:7077, k8s://... "
                    + "(needs the -Pspark build; paths must be visible to every executor).")
    String master;

    /** The in-process engine without --spark; close it when the job is over. */
    Cluster open() {
        return Clusters.open("spark", master);
    }
}
