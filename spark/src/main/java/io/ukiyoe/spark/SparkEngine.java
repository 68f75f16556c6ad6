package io.ukiyoe.spark;

import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.ClusterEngine;

/** {@code --spark MASTER}: the parallel jobs as Spark RDD stages. */
public final class SparkEngine implements ClusterEngine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Cluster connect(String master) {
        return SparkCluster.connect(master);
    }
}
