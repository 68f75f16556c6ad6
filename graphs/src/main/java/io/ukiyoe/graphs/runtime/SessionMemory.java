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
 * else still uses (a view), and frees instead of pooling beyond half the machine's memory.
 */
public final class SessionMemory extends AbstractMemoryMgr {
    private static volatile boolean installed;

    private final FreeBuffers free;
    /**
     * A pooled buffer serves requests down to half its length. At 1024 px a pass keeps 710 MB pooled
     * when the waste is bounded by an eighth, 548 MB by a half, 531 MB unbounded (same speed).
     */
    private static final long SLACK = 2;

    /**
     * The buffers no call is using, shared by every session (a training step runs several graphs one
     * after another; per-session pools each kept up to the cap, 10 GB at config-f 256 px).
     */
    private static volatile FreeBuffers shared;
    private long freshAllocations;
    private long allocations;
    /**
     * Buffers handed out for the current call and not released yet (never also in the pool), with
     * the length of the array each was handed out as (a pooled buffer may be longer).
     */
    private final Map<DataBuffer, Long> outstanding = new IdentityHashMap<>();
    /** Buffers of the previous call's lent outputs: pooled when the next call starts. */
    private final List<DataBuffer> lent = new ArrayList<>();
    /** The names of the outputs that the current thread's calls lend (see {@link #lending}), or null. */
    private static final ThreadLocal<java.util.Set<String>> LENDING = new ThreadLocal<>();

    SessionMemory(FreeBuffers free) {
        this.free = free;
    }

    /** Makes every SameDiff session created from now on use this manager (idempotent). */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (SessionMemory.class) {
            if (!installed) {
                // half the machine's memory (or a quarter of JavaCPP's limit, if larger): a call whose
                // working set passes the cap frees and re-allocates the rest on every call, which costs
                // page faults and, below glibc's mmap threshold, grows its heap (config-f training at
                // 256 px on 24 GB: 1 GB a step with a 6 GB cap, steady with 12 GB)
                long cap = Math.max(Pointer.maxBytes() > 0 ? Pointer.maxBytes() / 4 : 2L << 30,
                        Pointer.totalPhysicalBytes() / 2);
                FreeBuffers pool = new FreeBuffers(cap);
                shared = pool;
                SameDiff.bindInferenceFactory(sd -> new PooledSession(sd, new SessionMemory(pool)));
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

    /**
     * {@code dense} (c order, default strides, from offset 0) as {@code shape} of the same length, over
     * the same buffer object: unlike {@code reshape}, which makes a view buffer that holds the buffer's
     * use count until the garbage collector takes the view (so the pool could not take it back). From
     * this pool's arrays where {@code memory} is one, which remembers it for the buffer.
     */
    static INDArray reshaped(org.nd4j.autodiff.samediff.internal.SessionMemMgr memory, INDArray dense, long... shape) {
        LongShapeDescriptor d = LongShapeDescriptor.fromShape(shape, dense.dataType());
        if (org.nd4j.common.util.ArrayUtil.prodLong(shape) != dense.length() || !isDense(dense)) {
            throw new IllegalArgumentException("not a dense array of " + java.util.Arrays.toString(shape)
                    + "'s length: " + dense.shapeInfoToString());
        }
        return memory instanceof SessionMemory m ? m.free.array(dense.data(), d)
                : Nd4j.create(dense.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c', dense.dataType());
    }

    /**
     * Whether {@code a} is laid out as the arrays this pool hands out: c order, its elements one after
     * another from offset 0 of its buffer (the buffer may be longer), not empty. Axes of extent 1 may
     * carry any stride (ND4J's own test, {@code Shape.hasDefaultStridesForShape}, wants strictly
     * descending strides and so refuses [8, 1, 1, 32] as ND4J itself makes it: [32, 32, 32, 1]).
     */
    static boolean isDense(INDArray a) {
        if (a.isEmpty() || a.ordering() != 'c' || a.offset() != 0) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (stride[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    /** Bytes of the buffers pooled for reuse, all sessions together (0 before {@link #install}). */
    public static long pooledBytes() {
        FreeBuffers f = shared;
        return f == null ? 0 : f.bytes();
    }

    /** How many session-internal arrays were handed out so far, pooled or fresh (not counting outputs). */
    public long allocations() {
        return allocations;
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
        // SameDiff allocates a call's requested outputs detached; in a lending call they come from
        // the pool too (endOfCall keeps the lent ones ours and gives the others to the caller)
        if (detached && LENDING.get() == null || descriptor.isEmpty() || length == 0) {
            return Nd4j.create(descriptor, false);
        }
        if (!detached) {
            allocations++;
        }
        DataBuffer buffer = free.take(descriptor.dataType(), length);
        if (buffer == null) {
            if (!detached) {
                freshAllocations++;
            }
            INDArray fresh = Nd4j.create(descriptor, false);
            outstanding.put(fresh.data(), length);
            free.remember(fresh, descriptor);
            return fresh;
        }
        outstanding.put(buffer, length);
        return free.array(buffer, descriptor);
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
        return free.put(buffer);
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
        if (lendable != null) {
            // a lent output keeps its buffer with us (even a longer pooled one): no copy, no new owner
            Map<String, INDArray> named = new LinkedHashMap<>();
            if (result.getOutputs() != null) {
                result.getOutputs().forEach((name, o) -> o.ifPresent(a -> named.put(name, a)));
            }
            if (result.getValueOutputs() != null) {
                result.getValueOutputs().forEach((name, v) -> {
                    if (v != null && v.getTensorValue() != null) {
                        named.put(name, v.getTensorValue());
                    }
                });
            }
            named.forEach((name, a) -> {
                if (lendable.contains(name) && !a.isEmpty() && a.offset() == 0 && outstanding.remove(a.data()) != null) {
                    lent.add(a.data());
                }
            });
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
            // freed now when the pool is full: left to the GC, a 256 px step's leftovers piled up by GBs
            if (!b.wasClosed() && Nd4j.getExecutioner().useCount(b) <= 1 && !pool(b) && b.closeable()) {
                b.close();
            }
        }
        outstanding.clear();
        free.forgetArraysOfUnpooled();
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
        /** The plans of this session's calls, by outputs and placeholder shapes (empty: not plannable). */
        private final Map<String, Optional<ExecutionPlan>> plans = new HashMap<>();

        PooledSession(SameDiff sd, SessionMemory memory) {
            super(sd);
            this.memory = memory;
            setMmgr(memory);
        }

        @Override
        public ExecutionResult output(List<String> variables, Map<String, INDArray> placeholders,
                                      Map<String, SDValue> otherPlaceholders, MultiDataSet batch,
                                      Collection<String> requiredActivations, List<Listener> listeners, At at) {
            long start = System.nanoTime();
            memory.reclaimLeftovers();
            List<Listener> all = OpProfile.with(listeners);
            ExecutionPlan plan = plan(variables, placeholders, otherPlaceholders, batch, requiredActivations);
            ExecutionResult result = plan != null ? plan.run(placeholders == null ? Map.of() : placeholders, memory, all, at)
                    : super.output(variables, placeholders, otherPlaceholders, batch, requiredActivations, all, at);
            memory.endOfCall(result);
            OpProfile.call(System.nanoTime() - start);
            return result;
        }

        /** The plan of a plain call (no batches, non-tensor placeholders or extra activations), or null. */
        private ExecutionPlan plan(List<String> variables, Map<String, INDArray> placeholders,
                                   Map<String, SDValue> otherPlaceholders, MultiDataSet batch,
                                   Collection<String> requiredActivations) {
            if (!ExecutionPlan.enabled || batch != null
                    || otherPlaceholders != null && !otherPlaceholders.isEmpty()
                    || requiredActivations != null && !variables.containsAll(requiredActivations)) {
                return null;
            }
            Map<String, INDArray> fed = placeholders == null ? Map.of() : placeholders;
            StringBuilder key = new StringBuilder(sameDiff.getOps().size() + ":" + String.join(",", variables));
            new TreeMap<>(fed).forEach((name, a) -> key.append('|').append(name).append(a.dataType())
                    .append(java.util.Arrays.toString(a.shape())));
            return plans.computeIfAbsent(key.toString(), k -> Optional.ofNullable(
                    ExecutionPlan.of(sameDiff, variables, fed))).orElse(null);
        }
    }

    private static long bytes(DataBuffer buffer) {
        return buffer.length() * buffer.getElementSize();
    }

    /** Forgets this session's buffers in use (the shared pool keeps what it holds for other sessions). */
    @Override
    public void close() {
        outstanding.clear();
        lent.clear();
    }

    /**
     * Unused buffers by type and length, up to a cap in bytes: each request gets the smallest one that
     * holds it and wastes at most 1/SLACK of itself, so sizes that differ by a little padding (a 1026
     * px activation after a 1024 px one) share buffers instead of each keeping its own set, and a
     * pass's smaller activations reuse larger buffers that are idle at the time.
     */
    static final class FreeBuffers {
        private final long cap;
        private final Map<DataType, TreeMap<Long, ArrayDeque<DataBuffer>>> byType = new HashMap<>();
        private long bytes;
        /**
         * The arrays made over each buffer, by shape: handed out again when the buffer is, as the same
         * shape (a pooled buffer serves several shapes in a step). Making one costs 10 us here (a native
         * shape descriptor, and JavaCPP's check of the process's memory), 15-20 ms of a 64 px training
         * step's 1,800 ops.
         */
        private final Map<DataBuffer, Map<LongShapeDescriptor, INDArray>> arrays = new IdentityHashMap<>();

        FreeBuffers(long cap) {
            this.cap = cap;
        }

        synchronized long bytes() {
            return bytes;
        }

        /** The best-fitting buffer for {@code length} elements, or null. */
        synchronized DataBuffer take(DataType type, long length) {
            TreeMap<Long, ArrayDeque<DataBuffer>> byLength = byType.get(type);
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
            bytes -= SessionMemory.bytes(buffer);
            return buffer;
        }

        /**
         * An array of {@code descriptor}'s shape over {@code buffer} (dense, from offset 0), the one made
         * before for this buffer and shape where there is one. Only the one holder of the buffer asks.
         */
        synchronized INDArray array(DataBuffer buffer, LongShapeDescriptor descriptor) {
            return arrays.computeIfAbsent(buffer, b -> new HashMap<>()).computeIfAbsent(descriptor, d -> {
                long[] shape = d.getShape();
                char order = d.getOrder();
                return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, order), 0, order, d.dataType());
            });
        }

        /** Remembers a freshly allocated array (dense, from offset 0) as the one for its buffer and shape. */
        synchronized void remember(INDArray fresh, LongShapeDescriptor descriptor) {
            arrays.computeIfAbsent(fresh.data(), b -> new HashMap<>()).put(descriptor, fresh);
        }

        /**
         * Forgets the arrays of buffers that are not pooled now (given to a caller, freed, or in use by a
         * call): what is remembered never holds more memory than the pool. Called as a call starts, when
         * that session's buffers are back in the pool.
         */
        synchronized void forgetArraysOfUnpooled() {
            if (arrays.isEmpty()) {
                return;
            }
            java.util.Set<DataBuffer> pooled = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            byType.values().forEach(byLength -> byLength.values().forEach(pooled::addAll));
            arrays.keySet().retainAll(pooled);
        }

        /** Buffers whose arrays are remembered (for tests). */
        synchronized int buffersWithArrays() {
            return arrays.size();
        }

        /** Keeps an unused buffer; false when that would pass the cap. */
        synchronized boolean put(DataBuffer buffer) {
            long b = SessionMemory.bytes(buffer);
            if (bytes + b > cap) {
                return false;
            }
            byType.computeIfAbsent(buffer.dataType(), t -> new TreeMap<>())
                    .computeIfAbsent(buffer.length(), n -> new ArrayDeque<>()).push(buffer);
            bytes += b;
            return true;
        }
    }
}
