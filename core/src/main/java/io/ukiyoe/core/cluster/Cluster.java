package io.ukiyoe.core.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Where embarrassingly parallel work runs: pair shards, sweep candidates, metric feature batches. A job
 * cuts its work into items whose results depend only on the item (never on which worker, partition or
 * attempt computes it), so every engine gives the same results as {@link #local()}; items that write files
 * write them atomically under names that depend only on the item, so a retried or speculative attempt is
 * harmless.
 */
public interface Cluster extends AutoCloseable {
    /** {@code task} applied to every item, results in item order. */
    default <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> task) {
        return map(items, task, done -> { });
    }

    /** As {@link #map(List, Task)}, telling {@code progress} how many items are done, now and then. */
    <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> task, IntConsumer progress);

    /** How many items run at once (what a job may size its batches by). */
    int parallelism();

    /** A short description for logs and provenance, e.g. {@code local} or {@code spark local[2]}. */
    String describe();

    @Override
    default void close() {}

    /** This JVM, one item after another: the default engine. */
    static Cluster local() {
        return Local.INSTANCE;
    }

    /** The in-process engine. */
    final class Local implements Cluster {
        static final Local INSTANCE = new Local();

        private Local() {}

        @Override
        public <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> task,
                                                                          IntConsumer progress) {
            List<R> out = new ArrayList<>(items.size());
            for (T item : items) {
                out.add(task.apply(item));
                progress.accept(out.size());
            }
            return out;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public String describe() {
            return "local";
        }
    }
}
