package io.ukiyoe.core.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a worker JVM loads once and keeps for the tasks that follow (a model, the Inception network, a
 * sweep's reference images), keyed by what determines it (file paths, config text). A few entries at
 * most: the oldest is dropped first, so one JVM running many jobs does not keep every model.
 */
public final class WorkerCache {
    private static final int ENTRIES = 4;
    private static final Map<String, Object> CACHE = new LinkedHashMap<>(8, 0.75f, true);

    private WorkerCache() {}

    /** The value for {@code key}, made by {@code make} on first use in this JVM. */
    @SuppressWarnings("unchecked")
    public static synchronized <V> V get(String key, Supplier<V> make) {
        Object v = CACHE.get(key);
        if (v == null) {
            v = make.get();
            CACHE.put(key, v);
            while (CACHE.size() > ENTRIES) {
                CACHE.remove(CACHE.keySet().iterator().next());
            }
        }
        return (V) v;
    }

    /** A key part that changes when the file does: its absolute path, size and modification time. */
    public static String fileKey(java.nio.file.Path file) {
        try {
            java.nio.file.Path abs = file.toAbsolutePath().normalize();
            return abs + "@" + java.nio.file.Files.size(abs) + "@" + java.nio.file.Files.getLastModifiedTime(abs).toMillis();
        } catch (java.io.IOException e) {
            return file.toAbsolutePath().toString();   // opening it will report the problem
        }
    }

    /** Drops {@code key}'s value (a job that is over, in the JVM that ran it). */
    public static synchronized void evict(String key) {
        CACHE.remove(key);
    }
}
