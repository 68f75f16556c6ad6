package io.ukiyoe.graphs.runtime;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Where the time of SameDiff calls goes, op type by op type, for every session of the process (the
 * graphs and their gradient functions alike). Switched on with {@code -Dukiyoe.profile.ops=true}
 * (in {@code UKIYOE_JAVA_OPTS} for the launcher); the table goes to stderr when the JVM exits. An op's time
 * runs from SameDiff's pre-execution hook to its post-execution hook: its output allocation and the
 * kernel; "between ops" is the rest of the calls (the bookkeeping of SameDiff's session or of the
 * {@link ExecutionPlan}).
 */
public final class OpProfile extends BaseListener {
    /** Whether the profile is collected (the system property {@code ukiyoe.profile.ops}). */
    public static final boolean ENABLED = Boolean.getBoolean("ukiyoe.profile.ops");
    /** Whether ops are told apart by their input shapes as well ({@code -Dukiyoe.profile.shapes=true}). */
    static final boolean SHAPES = Boolean.getBoolean("ukiyoe.profile.shapes");
    private static final OpProfile INSTANCE = new OpProfile();

    /** Per op type: nanoseconds and executions. */
    private final Map<String, long[]> byOp = new HashMap<>();
    private long callNanos;
    private long calls;
    /** When the current thread's op started. */
    private final ThreadLocal<long[]> opStart = ThreadLocal.withInitial(() -> new long[1]);

    OpProfile() {
        if (ENABLED) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> print(System.err)));
        }
    }

    /** {@code listeners} with the profile added when it is enabled. */
    static List<org.nd4j.autodiff.listeners.Listener> with(List<org.nd4j.autodiff.listeners.Listener> listeners) {
        if (!ENABLED) {
            return listeners;
        }
        List<org.nd4j.autodiff.listeners.Listener> all = new ArrayList<>(listeners == null ? List.of() : listeners);
        all.add(INSTANCE);
        return all;
    }

    /** Counts one session call of {@code nanos} (when enabled). */
    static void call(long nanos) {
        if (ENABLED) {
            synchronized (INSTANCE) {
                INSTANCE.callNanos += nanos;
                INSTANCE.calls++;
            }
        }
    }

    /**
     * Forgets what was counted so far, so that the table covers only what runs after (a benchmark calls
     * it when its warm-up ends). Nothing happens when the profile is off.
     */
    public static void reset() {
        if (ENABLED) {
            INSTANCE.clear();
        }
    }

    synchronized void clear() {
        byOp.clear();
        callNanos = 0;
        calls = 0;
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        opStart.get()[0] = System.nanoTime();
    }

    @Override
    public synchronized void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                                         INDArray[] outputs) {
        String key = op.getOp().opName();
        if (SHAPES && opContext != null) {
            StringBuilder b = new StringBuilder(key);
            for (INDArray in : opContext.getInputArrays()) {
                b.append(' ').append(Arrays.toString(in.shape()));
            }
            key = b.toString();
        }
        long[] t = byOp.computeIfAbsent(key, k -> new long[2]);
        t[0] += System.nanoTime() - opStart.get()[0];
        t[1]++;
    }

    synchronized void print(PrintStream out) {
        long inOps = byOp.values().stream().mapToLong(t -> t[0]).sum();
        out.printf(Locale.ROOT, "op profile: %d calls, %.1f ms in calls, %.1f ms in ops, %.1f ms between ops%n",
                calls, callNanos / 1e6, inOps / 1e6, (callNanos - inOps) / 1e6);
        out.printf(Locale.ROOT, "%-28s %10s %8s %7s%n", "op", "ms", "count", "% ops");
        byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> out.printf(Locale.ROOT, "%-28s %10.1f %8d %6.1f%%%n", e.getKey(), e.getValue()[0] / 1e6,
                        e.getValue()[1], 100.0 * e.getValue()[0] / Math.max(1, inOps)));
    }
}
