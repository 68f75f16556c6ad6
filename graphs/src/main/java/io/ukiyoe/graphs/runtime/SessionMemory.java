package io.ukiyoe.graphs.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory manager of every SameDiff session we run: released activations go back to a pool and
 * are handed out again, each request getting the smallest free buffer that holds it (down to half
 * that buffer's length), so a graph evaluated over and over reuses the same buffers, and activations
 * of nearby sizes share them.
 *
 * <p>Why not SameDiff's own {@code ArrayCacheMemoryMgr}: on M2.1 it loses about one large array per
 * resolution on every pass (the same array is handed out twice and its second release drops it),
 * so each 1024 px pass allocated about 280 MB afresh; and fresh memory is what costs here — on this
 * project's (virtualised) machines a newly touched megabyte costs 2.5-5 ms, ten times the work of
 * most ops on it. This pool never hands out a buffer it holds twice, never pools a buffer something
 * else still uses (a view), and frees instead of pooling beyond a quarter of JavaCPP's memory limit.
 */
public final class SessionMemory extends AbstractMemoryMgr {
    private static volatile boolean installed;

    private final long maxPooledBytes;
    /**
     * A pooled buffer serves requests down to half its length. At 1024 px a pass keeps 710 MB pooled
     * when the waste is bounded by an eighth, 548 MB by a half, 531 MB unbounded (same speed).
     */
    private static final long SLACK = 2;

    private final Map<DataType, TreeMap<Long, ArrayDeque<DataBuffer>>> pool = new HashMap<>();
    private long pooledBytes;
    private long freshAllocations;
    /**
     * Buffers handed out for the current call and not released yet (never also in the pool), with
     * the length of the array each was handed out as (a pooled buffer may be longer).
     */
    private final Map<DataBuffer, Long> outstanding = new IdentityHashMap<>();
    /** Buffers of the previous call's lent outputs: pooled when the next call starts. */
    private final List<DataBuffer> lent = new ArrayList<>();
    /** The names of the outputs that the current thread's calls lend (see {@link #lending}), or null. */
    private static final ThreadLocal<java.util.Set<String>> LENDING = new ThreadLocal<>();

    SessionMemory(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
    }

    /** Makes every SameDiff session created from now on use this manager (idempotent). */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (SessionMemory.class) {
            if (!installed) {
                long cap = Pointer.maxBytes() > 0 ? Pointer.maxBytes() / 4 : 2L << 30;
                SameDiff.bindInferenceFactory(sd -> new PooledSession(sd, new SessionMemory(cap)));
                installed = true;
            }
        }
    }

    /**
     * Runs {@code call} (one SameDiff call) with the outputs named in {@code names} lent rather than
     * given: their buffers stay the session's and go back to its pool when the graph's next call
     * starts, so a caller that consumes them at once (a training step's gradients, copied out) gets
     * the same memory step after step instead of fresh arrays of the parameters' size. The arrays
     * must not be read after the graph's next call.
     */
    public static <T> T lending(java.util.Set<String> names, java.util.function.Supplier<T> call) {
        java.util.Set<String> before = LENDING.get();
        LENDING.set(names);
        try {
            return call.get();
        } finally {
            LENDING.set(before);
        }
    }

    /** How many session-internal arrays had to be allocated afresh so far (not counting outputs). */
    public long freshAllocations() {
        return freshAllocations;
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return allocate(detached, LongShapeDescriptor.fromShape(shape, dataType));
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        long[] shape = descriptor.getShape();
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        if (detached || descriptor.isEmpty() || length == 0) {
            return Nd4j.create(descriptor, false);
        }
        DataBuffer buffer = takeFitting(descriptor.dataType(), length);
        if (buffer == null) {
            freshAllocations++;
            INDArray fresh = Nd4j.create(descriptor, false);
            outstanding.put(fresh.data(), length);
            return fresh;
        }
        outstanding.put(buffer, length);
        char order = descriptor.getOrder();
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, order), 0, order, descriptor.dataType());
    }

    /**
     * The smallest pooled buffer that holds {@code length} elements and wastes at most 1/SLACK of
     * itself, or null. Sizes that differ by a little padding (a 1026 px activation after a 1024 px
     * one) then share buffers instead of each keeping its own set, and a pass's smaller activations
     * reuse larger buffers that are idle at the time.
     */
    private DataBuffer takeFitting(DataType type, long length) {
        TreeMap<Long, ArrayDeque<DataBuffer>> byLength = pool.get(type);
        if (byLength == null) {
            return null;
        }
        Map.Entry<Long, ArrayDeque<DataBuffer>> fit = byLength.ceilingEntry(length);
        if (fit == null || fit.getKey() - length > fit.getKey() / SLACK) {
            return null;
        }
        DataBuffer buffer = fit.getValue().pop();
        if (fit.getValue().isEmpty()) {
            byLength.remove(fit.getKey());
        }
        pooledBytes -= bytes(buffer);
        return buffer;
    }

    @Override
    public void release(INDArray array) {
        if (array == null || array.wasClosed() || array.isEmpty() || array.data() == null) {
            return;
        }
        DataBuffer buffer = array.data();
        Long handedOut = outstanding.get(buffer);
        if (handedOut == null || array.offset() != 0 || array.length() != handedOut) {
            return;                                     // not ours, released twice, or a view: the GC's
        }
        outstanding.remove(buffer);
        if (Nd4j.getExecutioner().useCount(buffer) > 1) {
            return;                                     // still used elsewhere
        }
        if (!pool(buffer) && array.closeable()) {
            array.close();
        }
    }

    /** Puts an unused buffer of ours in the pool; false when the pool is full. */
    private boolean pool(DataBuffer buffer) {
        if (pooledBytes + bytes(buffer) > maxPooledBytes) {
            return false;
        }
        pool.computeIfAbsent(buffer.dataType(), t -> new TreeMap<>())
                .computeIfAbsent(buffer.length(), n -> new ArrayDeque<>()).push(buffer);
        pooledBytes += bytes(buffer);
        return true;
    }

    /**
     * After a call: buffers that the call's results use (an output may be a view of an internal
     * array) are given up to their new owner and never pooled; an output in a longer pooled buffer
     * is handed over as a copy of its own length, and the buffer goes back to the pool.
     */
    void endOfCall(ExecutionResult result) {
        if (outstanding.isEmpty() || result == null) {
            return;
        }
        java.util.Set<String> lendable = LENDING.get();
        if (lendable != null && result.getOutputs() != null) {
            // a lent output keeps its buffer with us (even a longer pooled one): no copy, no new owner
            for (var e : result.getOutputs().entrySet()) {
                INDArray a = e.getValue().orElse(null);
                if (lendable.contains(e.getKey()) && a != null && !a.isEmpty() && a.offset() == 0
                        && outstanding.remove(a.data()) != null) {
                    lent.add(a.data());
                }
            }
        }
        Map<INDArray, INDArray> copies = new IdentityHashMap<>();  // one copy per array, in both maps
        if (result.getOutputs() != null) {
            Map<String, Optional<INDArray>> outputs = new LinkedHashMap<>(result.getOutputs());
            outputs.replaceAll((name, o) -> o.map(a -> ownLength(a, copies)));
            result.setOutputs(outputs);
        }
        if (result.getValueOutputs() != null) {
            Map<String, SDValue> values = new LinkedHashMap<>(result.getValueOutputs());
            values.replaceAll((name, v) -> v == null || v.getTensorValue() == null ? v
                    : v.getTensorValue() == ownLength(v.getTensorValue(), copies) ? v
                    : SDValue.create(copies.get(v.getTensorValue())));
            result.setValueOutputs(values);
        }
        List<long[]> used = new ArrayList<>();
        if (result.getOutputs() != null) {
            for (var o : result.getOutputs().values()) {
                o.ifPresent(a -> addRange(used, a));
            }
        }
        if (result.getValueOutputs() != null) {
            for (SDValue v : result.getValueOutputs().values()) {
                if (v != null && v.getTensorValue() != null) {
                    addRange(used, v.getTensorValue());
                }
            }
        }
        outstanding.keySet().removeIf(b -> overlaps(used, b));
    }

    /** An output that a longer buffer of ours holds, copied out so that the buffer can be reused. */
    private INDArray ownLength(INDArray a, Map<INDArray, INDArray> copies) {
        if (a == null || a.isEmpty() || a.wasClosed() || a.data() == null || !outstanding.containsKey(a.data())
                || a.length() >= a.data().length()) {
            return a;
        }
        return copies.computeIfAbsent(a, x -> x.dup(x.ordering()));
    }

    /**
     * Before the next call: SameDiff's own gradient calls ({@code calculateGradients}) never release
     * most of a call's arrays (on M2.1 about 1.9 of 2.5 thousand per training step, 900 MB; our
     * training steps go through {@link Backprop}, which does), and the outputs of the last call
     * were lent, so whatever is still outstanding from the previous call, and used by nothing else,
     * goes back to the pool.
     */
    void reclaimLeftovers() {
        for (DataBuffer b : lent) {
            if (!b.wasClosed() && !pool(b) && b.closeable()) {
                b.close();
            }
        }
        lent.clear();
        for (DataBuffer b : outstanding.keySet()) {
            if (!b.wasClosed() && Nd4j.getExecutioner().useCount(b) <= 1) {
                pool(b);
            }
        }
        outstanding.clear();
    }

    private static void addRange(List<long[]> used, INDArray a) {
        if (a != null && !a.isEmpty() && !a.wasClosed() && a.data() != null) {
            long start = a.data().address();
            used.add(new long[] {start, start + bytes(a.data())});
        }
    }

    private static boolean overlaps(List<long[]> used, DataBuffer b) {
        long start = b.address();
        long end = start + bytes(b);
        for (long[] r : used) {
            if (start < r[1] && r[0] < end) {
                return true;
            }
        }
        return false;
    }

    /** An InferenceSession that hands back, before each call, what SameDiff left unreleased. */
    static final class PooledSession extends InferenceSession {
        private final SessionMemory memory;

        PooledSession(SameDiff sd, SessionMemory memory) {
            super(sd);
            this.memory = memory;
            setMmgr(memory);
        }

        @Override
        public ExecutionResult output(List<String> variables, Map<String, INDArray> placeholders,
                                      Map<String, SDValue> otherPlaceholders, MultiDataSet batch,
                                      Collection<String> requiredActivations, List<Listener> listeners, At at) {
            memory.reclaimLeftovers();
            ExecutionResult result = super.output(variables, placeholders, otherPlaceholders, batch,
                    requiredActivations, listeners, at);
            memory.endOfCall(result);
            return result;
        }
    }

    private static long bytes(DataBuffer buffer) {
        return buffer.length() * buffer.getElementSize();
    }

    @Override
    public void close() {
        for (TreeMap<Long, ArrayDeque<DataBuffer>> byLength : pool.values()) {
            for (ArrayDeque<DataBuffer> free : byLength.values()) {
                for (DataBuffer b : free) {
                    if (b.closeable()) {
                        b.close();
                    }
                }
            }
        }
        pool.clear();
        outstanding.clear();
        lent.clear();
        pooledBytes = 0;
    }
}
