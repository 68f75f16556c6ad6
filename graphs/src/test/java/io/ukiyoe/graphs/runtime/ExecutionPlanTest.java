package io.ukiyoe.graphs.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/** Planned calls give what SameDiff's own session gives, and fall back to it where they cannot be planned. */
class ExecutionPlanTest {
    @BeforeAll
    static void pool() {
        SessionMemory.install();
    }

    @AfterEach
    void restore() {
        ExecutionPlan.enabled = true;
    }

    /** A small network with custom ops and legacy scalar, transform, reduce and pairwise ops, and a loss. */
    private static SameDiff network() {
        SameDiff sd = Graphs.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, 6, 6);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4).subi(0.5));
        SDVariable b = sd.var("b", Nd4j.rand(DataType.FLOAT, 4));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        SDVariable h = sd.cnn().conv2d(x, w, cfg).add(b.reshape(1, 4, 1, 1));
        h = h.mul(sd.math().sign(h).mul(0.4).add(0.6));                           // leaky ReLU
        SDVariable pooled = h.mean(2, 3);                                             // [N, 4]
        SDVariable d = sd.var("d", Nd4j.rand(DataType.FLOAT, 4, 2));
        SDVariable logits = sd.identity("logits", sd.concat(1, pooled.mmul(d), sd.math().square(pooled).sum(true, 1)));
        sd.identity("loss", logits.mul(2.0).sum()).markAsLoss();
        return sd;
    }

    private static <T> T withPlans(boolean on, Supplier<T> call) {
        ExecutionPlan.enabled = on;
        try {
            return call.get();
        } finally {
            ExecutionPlan.enabled = true;
        }
    }

    @Test
    void plannedOutputsAndGradientsAreSameDiffsOwn() {
        SameDiff sd = network();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 6, 6).subi(0.5);
        long before = ExecutionPlan.runs();
        INDArray planned = withPlans(true, () -> sd.output(Map.of("x", x), "logits").get("logits").dup());
        INDArray again = withPlans(true, () -> sd.output(Map.of("x", x), "logits").get("logits").dup());
        INDArray own = withPlans(false, () -> sd.output(Map.of("x", x), "logits").get("logits").dup());
        assertEquals(before + 2, ExecutionPlan.runs());
        assertEquals(planned, again);
        assertArrayEquals(new long[] {2, 3}, planned.shape());
        assertEquals(own, planned);

        Backprop.run(sd, Map.of("x", x), List.of("loss"), List.of("w", "b", "d"));
        long beforeGradients = ExecutionPlan.runs();
        OutAndGrad p = withPlans(true, () -> Backprop.run(sd, Map.of("x", x), List.of("loss"), List.of("w", "b", "d")));
        assertEquals(beforeGradients + 1, ExecutionPlan.runs());                     // the gradient function, planned
        Map<String, INDArray> plannedGrads = Map.of("w", p.getGradients().get("w").dup(),
                "b", p.getGradients().get("b").dup(), "d", p.getGradients().get("d").dup());
        double plannedLoss = p.getOutputs().get("loss").getDouble(0);
        OutAndGrad o = withPlans(false, () -> Backprop.run(sd, Map.of("x", x), List.of("loss"), List.of("w", "b", "d")));
        assertEquals(o.getOutputs().get("loss").getDouble(0), plannedLoss);
        for (String v : List.of("w", "b", "d")) {
            assertEquals(o.getGradients().get(v), plannedGrads.get(v), v);
        }
    }

    /**
     * Reshapes in gradient passes run as arrays over their input's buffer (forward passes copy). The
     * cases that could go wrong: an elementwise op after a reshape of a variable (must not write into
     * the variable), after a reshape whose input is read again later (must not write into that input),
     * a requested output that is a reshape of an internal array, chains of reshapes, and the backward
     * pass through them.
     */
    @Test
    void reshapesShareTheirInputsBuffersWithoutCorruptingAnything() {
        Supplier<SameDiff> build = () -> {
            SameDiff sd = Graphs.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, 4, 6);
            SDVariable w = sd.var("w", Nd4j.linspace(-1, 1, 24, DataType.FLOAT).reshape(4, 6));
            SDVariable wFlat = w.reshape(24).add(1.0);                     // a reshaped variable, then + 1
            SDVariable h = x.mul(w).mul(2.0);
            SDVariable r = h.reshape(2, 12).add(3.0).reshape(24);          // h is read again below
            SDVariable later = h.mul(h).sum(1);                            // [4]
            sd.identity("flat", sd.expandDims(r.mul(wFlat), 0).reshape(4, 6));  // requested: a reshape
            sd.identity("loss", r.mul(wFlat).sum().add(later.sum())).markAsLoss();
            return sd;
        };
        SameDiff planned = build.get();
        SameDiff own = build.get();
        INDArray w0 = planned.getVariable("w").getArr().dup();
        for (int call = 0; call < 3; call++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 6).subi(0.5).muli(call + 1);
            long before = ExecutionPlan.runs();
            Map<String, INDArray> p = planned.output(Map.of("x", x), "flat", "loss");    // (copies: no gradients)
            assertEquals(before + 1, ExecutionPlan.runs());
            Map<String, INDArray> o = withPlans(false, () -> own.output(Map.of("x", x), "flat", "loss"));
            assertEquals(o.get("flat"), p.get("flat"), "call " + call);
            assertEquals(o.get("loss"), p.get("loss"), "call " + call);
            // a gradient pass: its reshapes are arrays over their inputs' buffers
            OutAndGrad pg = Backprop.run(planned, Map.of("x", x), List.of("loss", "flat"), List.of("w"));
            INDArray plannedGrad = pg.getGradients().get("w").dup();
            INDArray plannedFlat = pg.getOutputs().get("flat").dup();
            OutAndGrad og = withPlans(false, () -> Backprop.run(own, Map.of("x", x), List.of("loss", "flat"), List.of("w")));
            assertEquals(og.getGradients().get("w"), plannedGrad, "gradient, call " + call);
            assertEquals(og.getOutputs().get("flat"), plannedFlat, "flat in the gradient pass, call " + call);
            assertEquals(w0, planned.getVariable("w").getArr(), "the variable was written");
        }
    }

    @Test
    void eachPlaceholderShapeGetsItsOwnPlanAndUpdatedVariablesAreSeen() {
        SameDiff sd = network();
        for (int batch : new int[] {1, 3, 1}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 6, 6);
            INDArray planned = sd.output(Map.of("x", x), "logits").get("logits").dup();
            INDArray own = withPlans(false, () -> sd.output(Map.of("x", x), "logits").get("logits"));
            assertEquals(own, planned, "batch " + batch);
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 6, 6);
        INDArray first = sd.output(Map.of("x", x), "logits").get("logits").dup();
        sd.getVariable("d").getArr().muli(-1);                                       // in place
        INDArray negated = sd.output(Map.of("x", x), "logits").get("logits").dup();
        assertEquals(first.getDouble(0, 0), -negated.getDouble(0, 0), 1e-6);
        sd.getVariable("d").setArray(Nd4j.zeros(DataType.FLOAT, 4, 2));           // a new array
        assertEquals(0.0, sd.output(Map.of("x", x), "logits").get("logits").getDouble(0, 1), 0.0);
        sd.getVariable("d").setArray(Nd4j.rand(DataType.FLOAT, 4, 5));           // and a new shape
        INDArray wider = sd.output(Map.of("x", x), "logits").get("logits").dup();
        assertArrayEquals(new long[] {2, 6}, wider.shape());
        assertEquals(withPlans(false, () -> sd.output(Map.of("x", x), "logits").get("logits")), wider);
    }

    @Test
    void listenersHearOfEveryOpAsFromSameDiffsSession() {
        SameDiff sd = network();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 6, 6);
        List<String> planned = new java.util.ArrayList<>();
        long before = ExecutionPlan.runs();
        sd.output(Map.of("x", x), List.of(recording(planned)), "logits");
        assertEquals(before + 1, ExecutionPlan.runs());
        List<String> own = new java.util.ArrayList<>();
        withPlans(false, () -> sd.output(Map.of("x", x), List.of(recording(own)), "logits"));
        assertNotEquals(0, planned.size());
        assertEquals(new java.util.TreeSet<>(own), new java.util.TreeSet<>(planned));   // the same ops and outputs
        assertEquals(own.size(), planned.size());
    }

    /** A listener noting "op output" for every activation it is told of. */
    private static BaseListener recording(List<String> into) {
        return new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void activationAvailable(SameDiff s, org.nd4j.autodiff.listeners.At at,
                                            org.nd4j.linalg.dataset.api.MultiDataSet batch,
                                            org.nd4j.autodiff.samediff.internal.SameDiffOp op, String varName,
                                            INDArray activation) {
                into.add(op.getName() + " " + varName);
            }
        };
    }

    @Test
    void aDeepChainIsPlannedOnASmallStack() throws InterruptedException {
        // planning walks dependencies with its own stack: walked recursively, a training graph's chains
        // (thousands of ops) need the thread's stack; here 3,000 ops planned on a 128 KB stack
        SameDiff sd = Graphs.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2);
        for (int i = 0; i < 3_000; i++) {
            x = x.add(1.0);
        }
        sd.identity("out", x);
        Map<String, INDArray> feed = Map.of("x", Nd4j.createFromArray(0f, 5f));
        ExecutionPlan[] plan = new ExecutionPlan[1];
        Throwable[] failed = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                plan[0] = ExecutionPlan.of(sd, List.of("out"), feed);
            } catch (Throwable t) {
                failed[0] = t;
            }
        }, "small-stack", 128 * 1024);
        small.start();
        small.join();
        assertEquals(null, failed[0]);
        assertNotEquals(null, plan[0]);
        long before = ExecutionPlan.runs();
        INDArray out = sd.output(feed, "out").get("out");
        assertEquals(before + 1, ExecutionPlan.runs());
        assertEquals(3_000.0, out.getDouble(0), 0.0);
        assertEquals(3_005.0, out.getDouble(1), 0.0);
    }

    @Test
    void graphsWithRandomOpsGoToSameDiffsSession() {
        long before = ExecutionPlan.runs();
        SameDiff random = Graphs.create();
        SDVariable n = random.random().normal(0, 1, DataType.FLOAT, 4, 4);
        random.identity("out", n.mul(2.0));
        INDArray out = random.output(Map.of(), "out").get("out");
        assertArrayEquals(new long[] {4, 4}, out.shape());
        assertNotEquals(0.0, out.sumNumber().doubleValue());
        assertEquals(before, ExecutionPlan.runs());
    }
}
