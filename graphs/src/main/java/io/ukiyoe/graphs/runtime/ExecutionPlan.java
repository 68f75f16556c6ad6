package io.ukiyoe.graphs.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.debugging.ControlflowListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BroadcastOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.IndexAccumulation;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.TransformOp;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One call of a graph, planned once and replayed: the ops that the requested outputs need, in a fixed
 * order, each with its own op context, its output shapes found on the first run (and again only when an
 * input's shape changes), the arrays it consumes for the last time released as soon as it has run, and
 * an elementwise op's output written into such an array where the shapes agree. SameDiff M2.1's session
 * does the same work through a dependency tracker and frame/iteration bookkeeping on every op of every
 * call, about 0.1 ms an op here: a fifth of a 64 px training step, a tenth of a 256 px generator pass.
 * In gradient passes a reshape's output is an array over its input's buffer (no copy), and an op of which
 * only some outputs are read may run a kernel that computes just those ({@link FastKernels}).
 *
 * <p>Listeners hear of each op as from SameDiff's session. Only plain dataflow graphs are planned
 * (custom ops and the legacy transform, scalar, reduce and broadcast ops, without control flow, random
 * ops or ops whose output shape depends on input values); for anything else {@link #of} answers null and
 * the call goes to SameDiff's session. The results are the values SameDiff would give, from the same
 * kernels or from {@link FastKernels}' equivalents of slow ones.
 */
final class ExecutionPlan {
    /** Whether calls are planned ({@code -Dukiyoe.plan=false} sends every call to SameDiff's session). */
    static volatile boolean enabled = !"false".equals(System.getProperty("ukiyoe.plan"));

    /** Ops whose output shape depends on input values: their shapes cannot be planned once. */
    private static final Set<String> VALUE_SHAPED = Set.of("where", "where_np", "unique", "unique_with_counts",
            "range", "boolean_mask", "dynamic_partition", "non_max_suppression", "non_max_suppression_v3",
            "non_max_suppression_overlaps", "listdiff", "fill", "random_uniform", "random_normal", "dropout",
            "randomuniform", "random_bernoulli", "random_exponential", "random_crop", "random_shuffle");

    /** Planned calls run so far (for tests). */
    private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

    private final SameDiff sd;
    private final Step[] steps;
    private final String[] outputNames;
    private final int[] outputSlots;
    private final int slots;
    /** Slots that a kernel reads only for their shape, possibly after the array is released. */
    private final boolean[] shapeNeeded;
    /** For those slots, a data-less array of the shape (see {@link #standIn}). */
    private final INDArray[] standIns;

    /** One op of the plan: where its inputs come from, where its outputs go, what it frees. */
    private static final class Step {
        final SameDiffOp sdOp;
        final DifferentialFunction op;
        /** Slot of each input, or -1 for an array of the graph (constant, variable) or a placeholder. */
        final int[] inSlots;
        final String[] inNames;
        final int[] outSlots;
        /** Whether each output is a requested output (handed to the caller, not pooled). */
        final boolean[] requested;
        /** Slots whose last consumer this op is (released after it runs). */
        int[] release = new int[0];
        /**
         * Inputs whose array this op may write its output into (an elementwise op consuming the array
         * for the last time; used when the shapes agree), so that activation chains reuse one buffer.
         */
        int[] inPlace = new int[0];
        OpContext context;
        /** The equivalent of the op's libnd4j kernel that runs instead, or null. */
        final FastKernels.Kernel kernel;
        /**
         * Whether the op only gives its input another shape (reshape, squeeze, expand_dims): run as an
         * array over the input's buffer where the input is dense, with no kernel and no copy.
         */
        final boolean reshapes;
        /** Per input: read by the kernel only for its shape (not kept alive for this op); null if none. */
        final boolean[] shapeOnly;
        List<LongShapeDescriptor> shapes;
        /** The input shapes that {@link #shapes} were found for (a variable may be given a new shape). */
        long[][] inShapes;

        Step(SameDiffOp op, int[] inSlots, String[] inNames, int[] outSlots, boolean[] requested, boolean[] live,
             boolean aliasReshapes) {
            this.sdOp = op;
            this.op = op.getOp();
            this.inSlots = inSlots;
            this.inNames = inNames;
            this.outSlots = outSlots;
            this.requested = requested;
            List<String> outs = op.getOutputsOfOp();
            SDVariable first = outs == null || outs.isEmpty() ? null : op.getOp().getSameDiff().getVariable(outs.get(0));
            this.kernel = first == null ? null : FastKernels.of(this.op, first.dataType(), live);
            this.reshapes = aliasReshapes && RESHAPES.contains(this.op.opName()) && this.op instanceof DynamicCustomOp
                    && outSlots.length == 1 && inSlots.length >= 1;
            boolean[] only = new boolean[inSlots.length];
            boolean any = false;
            for (int j = 0; kernel != null && j < only.length; j++) {
                only[j] = kernel.shapeOnly(j);
                any |= only[j];
            }
            this.shapeOnly = any ? only : null;
        }
    }

    private ExecutionPlan(SameDiff sd, Step[] steps, String[] outputNames, int[] outputSlots, int slots,
                          boolean[] shapeNeeded) {
        this.sd = sd;
        this.shapeNeeded = shapeNeeded;
        this.standIns = new INDArray[slots];
        this.steps = steps;
        this.outputNames = outputNames;
        this.outputSlots = outputSlots;
        this.slots = slots;
    }

    /**
     * The plan for {@code outputs} of {@code sd} given these placeholders, or null when the call is not
     * plain dataflow (see the class comment) and must go to SameDiff's session.
     */
    static ExecutionPlan of(SameDiff sd, Collection<String> outputs, Map<String, INDArray> placeholders) {
        Map<String, SameDiffOp> producer = new HashMap<>();
        for (SameDiffOp op : sd.getOps().values()) {
            for (String out : op.getOutputsOfOp()) {
                producer.put(out, op);
            }
        }
        List<SameDiffOp> order = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        for (String out : outputs) {
            if (!producer.containsKey(out) || !visit(sd, out, producer, placeholders, visited, order)) {
                return null;
            }
        }
        // depth-first from the outputs, a backward pass computed each weight gradient only after the whole
        // pass, keeping what it needed alive: 1.9 GB more resident than SameDiff's order at config-f 256 px
        // training; run as soon as ready, the same memory as SameDiff's order
        order = readyOrder(order);
        Map<String, Integer> slotOf = new HashMap<>();
        for (SameDiffOp op : order) {
            for (String out : op.getOutputsOfOp()) {
                slotOf.put(out, slotOf.size());
            }
        }
        Set<String> requested = new HashSet<>(outputs);
        // outputs that some op reads or the caller asked for: a kernel may skip the others
        Set<String> read = new HashSet<>(requested);
        for (SameDiffOp op : order) {
            if (op.getInputsToOp() != null) {
                read.addAll(op.getInputsToOp());
            }
        }
        // reshapes as arrays over their input's buffer only in gradient passes, whose forward arrays live
        // on for the backward pass anyway: in a forward pass the copy frees its input at once, and the
        // pool hands that buffer on (1,024 px generation peaked at 1.39-1.40 GiB with the arrays, 1.30-1.32
        // with copies)
        boolean backward = order.stream().anyMatch(op -> op.getOp().opName().endsWith("_bp"));
        Step[] steps = new Step[order.size()];
        int[] lastUse = new int[slotOf.size()];
        Arrays.fill(lastUse, -1);
        boolean[] shapeNeeded = new boolean[slotOf.size()];
        for (int i = 0; i < steps.length; i++) {
            SameDiffOp op = order.get(i);
            List<String> ins = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
            int[] inSlots = new int[ins.size()];
            for (int j = 0; j < inSlots.length; j++) {
                Integer slot = slotOf.get(ins.get(j));
                inSlots[j] = slot == null ? -1 : slot;
            }
            List<String> outs = op.getOutputsOfOp();
            int[] outSlots = new int[outs.size()];
            boolean[] isRequested = new boolean[outs.size()];
            for (int j = 0; j < outSlots.length; j++) {
                outSlots[j] = slotOf.get(outs.get(j));
                isRequested[j] = requested.contains(outs.get(j));
            }
            boolean[] live = new boolean[outSlots.length];
            for (int j = 0; j < live.length; j++) {
                live[j] = read.contains(outs.get(j));
            }
            steps[i] = new Step(op, inSlots, ins.toArray(String[]::new), outSlots, isRequested, live, backward);
            for (int j = 0; j < inSlots.length; j++) {
                if (inSlots[j] >= 0) {
                    if (steps[i].shapeOnly != null && steps[i].shapeOnly[j]) {
                        shapeNeeded[inSlots[j]] = true;           // only its shape: recorded, not kept alive
                    } else {
                        lastUse[inSlots[j]] = i;
                    }
                }
            }
            for (int slot : outSlots) {
                if (lastUse[slot] < i) {
                    lastUse[slot] = i;                          // never consumed: freed right after its op
                }
            }
        }
        Map<Integer, String> nameOfSlot = new HashMap<>();
        slotOf.forEach((name, slot) -> nameOfSlot.put(slot, name));
        // a reshaping op's output may be an array over its input's buffer: the slots that may share a
        // buffer form a group, which lives until its last member's last use and goes back as one; a
        // group over an array of the graph or a placeholder (external) is never written in place
        int[] group = new int[lastUse.length];
        boolean[] external = new boolean[lastUse.length];
        for (int slot = 0; slot < group.length; slot++) {
            group[slot] = slot;
        }
        for (Step step : steps) {
            if (step.reshapes) {
                int in = step.inSlots[0];
                if (in >= 0) {
                    group[step.outSlots[0]] = group[in];
                } else {
                    external[step.outSlots[0]] = true;
                }
            }
        }
        int[] groupLastUse = new int[lastUse.length];
        boolean[] groupRequested = new boolean[lastUse.length];
        Arrays.fill(groupLastUse, -1);
        for (int slot = 0; slot < lastUse.length; slot++) {
            groupLastUse[group[slot]] = Math.max(groupLastUse[group[slot]], lastUse[slot]);
            groupRequested[group[slot]] |= requested.contains(nameOfSlot.get(slot));
        }
        List<List<Integer>> releases = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            releases.add(new ArrayList<>());
        }
        for (int slot = 0; slot < lastUse.length; slot++) {
            if (!groupRequested[group[slot]]) {
                releases.get(groupLastUse[group[slot]]).add(slot);
            }
        }
        for (int i = 0; i < steps.length; i++) {
            Step step = steps[i];
            step.release = releases.get(i).stream().mapToInt(Integer::intValue).toArray();
            if (elementwise(step.op) && step.kernel == null && step.outSlots.length == 1 && !step.requested[0]) {
                List<Integer> into = new ArrayList<>();
                for (int j = 0; j < step.inSlots.length; j++) {
                    int slot = step.inSlots[j];
                    if (slot >= 0 && groupLastUse[group[slot]] == i && !groupRequested[group[slot]]
                            && !external[group[slot]]) {
                        into.add(j);
                    }
                }
                step.inPlace = into.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        String[] names = outputs.toArray(String[]::new);
        int[] outSlots = Arrays.stream(names).mapToInt(slotOf::get).toArray();
        return new ExecutionPlan(sd, steps, names, outSlots, slotOf.size(), shapeNeeded);
    }

    /**
     * {@code ops} (a valid order) reordered so that each op runs as soon as its inputs are ready, the most
     * recently readied first: a consumer follows its producer, so arrays die soon after they are made
     * (a weight gradient is summed as soon as its layer's backward pass has run, not after the whole pass).
     */
    private static List<SameDiffOp> readyOrder(List<SameDiffOp> ops) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (String out : ops.get(i).getOutputsOfOp()) {
                index.put(out, i);
            }
        }
        int[] waiting = new int[ops.size()];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < ops.size(); i++) {
            List<String> deps = new ArrayList<>();
            if (ops.get(i).getInputsToOp() != null) {
                deps.addAll(ops.get(i).getInputsToOp());
            }
            if (ops.get(i).getVarControlDeps() != null) {
                deps.addAll(ops.get(i).getVarControlDeps());
            }
            for (String in : deps) {
                Integer producer = index.get(in);
                if (producer != null) {
                    waiting[i]++;
                    consumers.get(producer).add(i);
                }
            }
        }
        java.util.ArrayDeque<Integer> ready = new java.util.ArrayDeque<>();
        for (int i = ops.size() - 1; i >= 0; i--) {
            if (waiting[i] == 0) {
                ready.push(i);
            }
        }
        List<SameDiffOp> out = new ArrayList<>(ops.size());
        while (!ready.isEmpty()) {
            int i = ready.pop();
            out.add(ops.get(i));
            List<Integer> next = consumers.get(i);
            for (int j = next.size() - 1; j >= 0; j--) {
                if (--waiting[next.get(j)] == 0) {
                    ready.push(next.get(j));
                }
            }
        }
        return out.size() == ops.size() ? out : ops;
    }

    /**
     * Adds the op producing {@code var} after the ops it needs (depth-first, post-order, with an explicit
     * stack: a training graph's dependency chains run thousands of ops deep); false where the call cannot
     * be planned.
     */
    private static boolean visit(SameDiff sd, String var, Map<String, SameDiffOp> producer,
                                 Map<String, INDArray> placeholders, Set<String> visited, List<SameDiffOp> order) {
        java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();      // {op, its inputs, next input}
        if (!enter(sd, var, producer, placeholders, visited, stack)) {
            return false;
        }
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            @SuppressWarnings("unchecked")
            List<String> deps = (List<String>) top[1];
            int next = (Integer) top[2];
            if (next == deps.size()) {
                order.add((SameDiffOp) top[0]);
                stack.pop();
            } else {
                top[2] = next + 1;
                if (!enter(sd, deps.get(next), producer, placeholders, visited, stack)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Checks {@code var}: an available constant, variable or placeholder, or the output of a plannable op,
     * pushed onto {@code stack} unless already visited. False where the call cannot be planned.
     */
    private static boolean enter(SameDiff sd, String var, Map<String, SameDiffOp> producer,
                                 Map<String, INDArray> placeholders, Set<String> visited,
                                 java.util.ArrayDeque<Object[]> stack) {
        SameDiffOp op = producer.get(var);
        if (op == null) {
            SDVariable v = sd.getVariable(var);
            if (v == null) {
                return false;
            }
            if (v.getVariableType() == VariableType.PLACEHOLDER) {
                INDArray fed = placeholders.get(var);
                return fed != null && fed.dataType() == v.dataType() && fitsDeclared(v.placeholderShape(), fed.shape());
            }
            return sd.getArrForVarName(var) != null;                // a constant or variable with its array
        }
        if (!visited.add(op.getName())) {
            return true;
        }
        if (!plannable(op) || op.getControlDeps() != null && !op.getControlDeps().isEmpty()) {
            return false;                                            // (op-to-op ordering: left to SameDiff)
        }
        List<String> deps = new ArrayList<>();
        if (op.getInputsToOp() != null) {
            deps.addAll(op.getInputsToOp());
        }
        if (op.getVarControlDeps() != null) {
            deps.addAll(op.getVarControlDeps());
        }
        stack.push(new Object[] {op, deps, 0});
        return true;
    }

    /** Ops whose output is their first input's values in another shape, in the same order. */
    private static final Set<String> RESHAPES = Set.of("reshape", "squeeze", "expand_dims");

    /** Legacy transforms reading and writing one element at a time, and the pairwise arithmetic ops. */
    private static final Set<String> ELEMENTWISE = Set.of("add", "subtract", "multiply", "divide", "maximum",
            "minimum", "squaredsubtract", "sign", "square", "sqrt", "rsqrt", "neg", "abs", "exp", "log", "tanh",
            "sigmoid", "softplus", "cube", "reciprocal");

    /** Whether the op's output may overwrite an input of its shape (every scalar op, and the ops above). */
    private static boolean elementwise(DifferentialFunction op) {
        return op instanceof ScalarOp || ELEMENTWISE.contains(op.opName())
                && (op instanceof DynamicCustomOp || op instanceof TransformOp);
    }

    private static boolean fitsDeclared(long[] declared, long[] fed) {
        if (declared == null) {
            return true;
        }
        if (declared.length != fed.length) {
            return false;
        }
        for (int i = 0; i < fed.length; i++) {
            if (declared[i] >= 0 && declared[i] != fed[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean plannable(SameDiffOp sdOp) {
        DifferentialFunction op = sdOp.getOp();
        String pkg = op.getClass().getPackageName();
        if (pkg.contains(".controlflow") || pkg.contains(".random") || pkg.contains("tensorops")
                || VALUE_SHAPED.contains(op.opName())) {
            return false;
        }
        int inputs = sdOp.getInputsToOp() == null ? 0 : sdOp.getInputsToOp().size();
        if (op instanceof DynamicCustomOp) {
            return true;
        }
        if (op instanceof ScalarOp || op instanceof ReduceOp || op instanceof IndexAccumulation) {
            return inputs == 1;
        }
        if (op instanceof TransformOp) {
            return inputs == 1 || inputs == 2;
        }
        return op instanceof BroadcastOp && inputs == 2;
    }

    /**
     * The listeners a planned call tells about each op (before it, after it, and each of its outputs, as
     * SameDiff's session does), active for {@code at}: all but the ControlflowListener that M2.1 puts on
     * every gradient function (it records loop frames, which plain dataflow graphs do not have).
     */
    private static List<Listener> watching(List<Listener> listeners, At at) {
        List<Listener> active = new ArrayList<>();
        if (listeners != null) {
            for (Listener l : listeners) {
                if (l != null && !(l instanceof ControlflowListener)
                        && l.isActive(at == null ? Operation.INFERENCE : at.operation())) {
                    active.add(l);
                }
            }
        }
        return active;
    }

    static long runs() {
        return RUNS.get();
    }

    /** Runs the plan: the requested outputs by name, their arrays allocated and released through {@code memory}. */
    ExecutionResult run(Map<String, INDArray> placeholders, SessionMemMgr memory, List<Listener> listeners, At at) {
        RUNS.incrementAndGet();
        List<Listener> watching = watching(listeners, at);
        INDArray[] values = new INDArray[slots];
        for (Step step : steps) {
            INDArray[] in = new INDArray[step.inSlots.length];
            for (int j = 0; j < in.length; j++) {
                int slot = step.inSlots[j];
                if (slot >= 0) {
                    in[j] = values[slot] != null ? values[slot] : standIns[slot];
                } else {
                    INDArray fed = placeholders.get(step.inNames[j]);
                    in[j] = fed != null ? fed : sd.getArrForVarName(step.inNames[j]);
                }
            }
            INDArray[] out = execute(step, in, memory, watching, at);
            for (int j = 0; j < out.length; j++) {
                values[step.outSlots[j]] = out[j];
                int slot = step.outSlots[j];
                if (shapeNeeded[slot] && (standIns[slot] == null || !Arrays.equals(standIns[slot].shape(), out[j].shape())
                        || standIns[slot].dataType() != out[j].dataType())) {
                    standIns[slot] = standIn(out[j]);             // kept across calls: shapes rarely change
                }
            }
            for (int slot : step.release) {
                if (values[slot] != null && !written(values[slot], out)) {
                    memory.release(values[slot]);          // (a no-op for arrays over a released buffer)
                }
                values[slot] = null;
            }
        }
        Map<String, SDValue> results = new LinkedHashMap<>();
        for (int i = 0; i < outputNames.length; i++) {
            results.put(outputNames[i], SDValue.create(values[outputSlots[i]]));
        }
        return ExecutionResult.builder().valueOutputs(results).build();
    }

    /**
     * An array of {@code array}'s shape and type that holds no data of its own (every stride 0 over one
     * value): what a kernel that reads an input only for its shape gets once the array is released.
     */
    private static INDArray standIn(INDArray array) {
        INDArray one = Nd4j.scalar(array.dataType(), 0);
        return Nd4j.create(one.data(), array.shape(), new long[array.rank()], 0, 'c', array.dataType());
    }

    /**
     * Whether {@code array}'s buffer is that of one of {@code outputs} (an input the op wrote its output
     * into, or another array over that input's buffer).
     */
    private static boolean written(INDArray array, INDArray[] outputs) {
        for (INDArray o : outputs) {
            if (o == array || o.data() == array.data()) {
                return true;
            }
        }
        return false;
    }

    private INDArray[] execute(Step step, INDArray[] in, SessionMemMgr memory, List<Listener> listeners, At at) {
        OpContext ctx = step.context;
        if (ctx == null) {
            ctx = Nd4j.getExecutioner().buildContext();
            if (step.op instanceof DynamicCustomOp c) {      // kept by the context (purge clears only arrays)
                ctx.setIArguments(c.iArgs());
                ctx.setTArguments(c.tArgs());
                ctx.setBArguments(c.bArgs());
                ctx.setDArguments(c.dArgs());
            }
            step.context = ctx;
        }
        ctx.setInputArrays(in);
        if (step.shapes == null || !sameShapes(step.inShapes, in)) {
            step.shapes = step.shapeOnly != null ? kernelShapes(step.kernel, step.outSlots.length, in)
                    : outputShapes(step.op, ctx, in);
            step.inShapes = Arrays.stream(in).map(INDArray::shape).toArray(long[][]::new);
        }
        INDArray[] out = new INDArray[step.shapes.size()];
        boolean aliased = step.reshapes && aliasable(in[0], step.shapes.get(0));
        if (aliased) {
            out[0] = SessionMemory.reshaped(memory, in[0], step.shapes.get(0).getShape());
        }
        for (int j : step.inPlace) {
            LongShapeDescriptor d = step.shapes.get(0);
            // the slot arrays are the plan's own, dense from offset 0 (isView() is also true for one the pool
            // handed out in a longer buffer, which is as good a place for the output)
            if (in[j].dataType() == d.dataType() && Arrays.equals(in[j].shape(), d.getShape())
                    && SessionMemory.isDense(in[j])) {
                out[0] = in[j];
                break;
            }
        }
        for (int j = 0; j < out.length; j++) {
            if (out[j] == null) {
                out[j] = memory.allocate(step.requested[j], step.shapes.get(j));
            }
        }
        ctx.setOutputArrays(out);
        for (Listener l : listeners) {
            l.preOpExecution(sd, at, step.sdOp, ctx);
        }
        if (aliased) {
            // the output is the input's values as they are: nothing to run
        } else if (step.kernel != null && step.kernel.run(in, out, memory)) {
            FastKernels.RUNS.incrementAndGet();
        } else if (step.shapeOnly != null) {
            throw new IllegalStateException(step.op.opName() + ": a kernel with shape-only inputs declined to run");
        } else if (step.op instanceof DynamicCustomOp c) {
            Nd4j.getExecutioner().exec(c, ctx);
        } else {
            Nd4j.getExecutioner().exec((Op) step.op, ctx);
        }
        for (Listener l : listeners) {
            l.opExecution(sd, at, null, step.sdOp, ctx, out);
            for (int j = 0; j < out.length; j++) {
                l.activationAvailable(sd, at, null, step.sdOp, step.sdOp.getOutputsOfOp().get(j), out[j]);
            }
        }
        ctx.purge();             // the context's references would keep the arrays from going back to the pool
        return out;
    }

    /** Whether {@code in} can be given {@code shape} as an array over its buffer: dense, c order, from offset 0. */
    private static boolean aliasable(INDArray in, LongShapeDescriptor shape) {
        return SessionMemory.isDense(in) && shape.getOrder() == 'c' && in.dataType() == shape.dataType()
                && in.length() == org.nd4j.common.util.ArrayUtil.prodLong(shape.getShape());
    }

    private static boolean sameShapes(long[][] shapes, INDArray[] in) {
        for (int i = 0; i < in.length; i++) {
            if (!Arrays.equals(shapes[i], in[i].shape())) {
                return false;
            }
        }
        return true;
    }

    /** The op's output shapes for these inputs. */
    /** The output shapes of a kernel with shape-only inputs: each that of the input it names. */
    private static List<LongShapeDescriptor> kernelShapes(FastKernels.Kernel kernel, int outputs, INDArray[] in) {
        List<LongShapeDescriptor> shapes = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            INDArray like = in[kernel.outputLike(i)];
            shapes.add(LongShapeDescriptor.fromShape(like.shape(), like.dataType()));
        }
        return shapes;
    }

    private static List<LongShapeDescriptor> outputShapes(DifferentialFunction op, OpContext ctx, INDArray[] in) {
        if (op instanceof DynamicCustomOp c) {
            return Nd4j.getExecutioner().calculateOutputShape(c, ctx);
        }
        synchronized (op) {                                  // the legacy op takes its inputs as fields
            Op legacy = (Op) op;
            INDArray x = legacy.x();
            INDArray y = legacy.y();
            try {
                legacy.setX(in[0]);
                legacy.setY(in.length > 1 ? in[1] : null);
                return op.calculateOutputShape();
            } finally {
                legacy.setX(x);
                legacy.setY(y);
            }
        }
    }
}
