package io.ukiyoe.spark;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Task;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A {@link Cluster} on Apache Spark: {@link #map} is one RDD stage with one partition per item, so Spark
 * schedules, retries (up to {@code spark.task.maxFailures}, 4) and, with speculation on, duplicates items
 * one by one; results come back to the driver in item order. Tasks load their models from paths every
 * executor can see, once per executor JVM (the tasks' own {@code WorkerCache}); nothing large travels
 * in a closure.
 */
public final class SparkCluster implements Cluster {
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)]");

    private final JavaSparkContext sc;
    private final String master;

    private SparkCluster(JavaSparkContext sc, String master) {
        this.sc = sc;
        this.master = master;
    }

    /**
     * Starts a Spark context for {@code master}. A plain {@code local[N]} becomes {@code local[N,4]}:
     * Spark's local mode otherwise gives up on the first failure of a task, where a cluster retries it.
     */
    public static SparkCluster connect(String master) {
        return connect(master, new SparkConf());
    }

    /** As {@link #connect(String)}, with extra settings (e.g. the executors' class path of a test). */
    public static SparkCluster connect(String master, SparkConf conf) {
        Matcher m = LOCAL.matcher(master);
        String effective = m.matches() ? "local[" + m.group(1) + ",4]" : master;
        conf.setMaster(effective).setAppName(conf.get("spark.app.name", "ukiyoe"))
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.task.maxFailures", "4")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (effective.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        try {
            return new SparkCluster(new JavaSparkContext(conf), master);
        } catch (RuntimeException e) {
            throw new UserError("--spark " + master + ": cannot start Spark: " + firstLine(e), e);
        }
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> task, IntConsumer progress) {
        if (items.isEmpty()) {
            return List.of();
        }
        JavaFutureAction<List<R>> job = sc.parallelize(items, items.size()).map(task::apply).collectAsync();
        try {
            while (true) {
                try {
                    List<R> out = job.get(500, TimeUnit.MILLISECONDS);
                    progress.accept(items.size());
                    return out;
                } catch (TimeoutException e) {
                    if (sc.sc().isStopped()) {   // e.g. the master removed the application: the job never ends
                        throw new UserError("--spark " + master + ": the Spark context stopped (see Spark's log above)");
                    }
                    progress.accept(completed(job));
                }
            }
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** Tasks finished so far in the job's stages. */
    private int completed(JavaFutureAction<?> job) {
        int done = 0;
        for (int id : job.jobIds()) {
            SparkJobInfo info = sc.statusTracker().getJobInfo(id);
            if (info == null) {
                continue;
            }
            for (int stage : info.stageIds()) {
                SparkStageInfo s = sc.statusTracker().getStageInfo(stage);
                if (s != null) {
                    done += s.numCompletedTasks();
                }
            }
        }
        return done;
    }

    /** A task's own one-line error when it has one (after Spark's retries), else Spark's first line. */
    static RuntimeException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserError u) {
                return u;
            }
        }
        return new UserError("Spark job failed: " + firstLine(e.getCause() != null ? e.getCause() : e), e);
    }

    private static String firstLine(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    @Override
    public int parallelism() {
        return sc.defaultParallelism();
    }

    @Override
    public String describe() {
        return "spark " + master;
    }

    /** The Spark context, for jobs that need more than {@link #map}. */
    public JavaSparkContext context() {
        return sc;
    }

    @Override
    public void close() {
        sc.close();
    }
}
