package io.ukiyoe.core.cluster;

/**
 * A provider of {@link Cluster}s for a master URL, found with {@link java.util.ServiceLoader} so the
 * single-machine build carries no engine (the {@code spark} module provides one; {@code -Pspark}).
 */
public interface ClusterEngine {
    /** The engine's name as users type it, e.g. {@code spark}. */
    String name();

    /** Connects to {@code master} (e.g. {@code local[2]}, {@code spark://host:7077}). */
    Cluster connect(String master);
}
