package io.ukiyoe.core.cluster;

import io.ukiyoe.core.UserError;
import java.util.ServiceLoader;

/** Finds the engine behind {@code --spark MASTER}. */
public final class Clusters {
    private Clusters() {}

    /** The in-process engine when {@code master} is null, else the named engine connected to it. */
    public static Cluster open(String engine, String master) {
        if (master == null) {
            return Cluster.local();
        }
        if (master.isBlank()) {
            throw new UserError("--" + engine + " needs a master URL, e.g. local[2] or spark://host:7077", 2, null);
        }
        for (ClusterEngine e : ServiceLoader.load(ClusterEngine.class)) {
            if (e.name().equals(engine)) {
                return e.connect(master);
            }
        }
        throw new UserError("--" + engine + ": this build has no " + engine + " engine; build with "
                + "UKIYOE_MAVEN_ARGS=-P" + engine + " (README: More than one machine)", 2, null);
    }
}
