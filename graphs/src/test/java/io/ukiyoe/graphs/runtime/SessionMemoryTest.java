package io.ukiyoe.graphs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Pooled session memory: buffers are reused across calls, and nothing a caller holds is overwritten. */
class SessionMemoryTest {
    static {
        SessionMemory.install();
    }

    private static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 64);
        SDVariable w = sd.var("w", Nd4j.linspace(-1, 1, 64 * 64, DataType.FLOAT).reshape(64, 64).muli(0.1));
        SDVariable h = sd.nn().tanh(x.mmul(w)).mul(2).add(1);       // intermediates of the output's shape
        h.mmul(w).reshape(-1, 8, 8).rename("y");
        h.mul(h).sum().rename("loss");
        sd.setLossVariables("loss");
        return sd;
    }

    @Test
    void outputsHeldByTheCallerSurviveLaterCalls() {
        SameDiff sd = graph();
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 64);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4, 64).addi(3);
        INDArray first = sd.output(Map.of("x", a), "y").get("y");
        INDArray firstCopy = first.dup();
        Map<String, INDArray> gradFirst = sd.calculateGradients(Map.of("x", a), "w");
        INDArray gradFirstCopy = gradFirst.get("w").dup();
        for (int i = 0; i < 5; i++) {                                   // other inputs, both kinds of call
            sd.output(Map.of("x", b), "y");
            sd.calculateGradients(Map.of("x", b), "w");
        }
        assertEquals(firstCopy, first, "an output was overwritten by a later call");
        assertEquals(gradFirstCopy, gradFirst.get("w"), "a gradient was overwritten by a later call");
        assertEquals(firstCopy, sd.output(Map.of("x", a), "y").get("y"), "same input, different output");
        assertEquals(gradFirstCopy, sd.calculateGradients(Map.of("x", a), "w").get("w"));
    }

    @Test
    void repeatedCallsReuseTheirBuffers() {
        SameDiff sd = graph();
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 64);
        sd.calculateGradients(Map.of("x", a), "w");
        sd.calculateGradients(Map.of("x", a), "w");
        SameDiff grad = sd.getFunction("grad");
        var session = grad.getSessions().values().iterator().next();
        SessionMemory memory = assertInstanceOf(SessionMemory.class, session.getMmgr());
        long before = memory.freshAllocations();
        long handedOut = memory.allocations();
        for (int i = 0; i < 3; i++) {
            sd.calculateGradients(Map.of("x", a), "w");
        }
        assertEquals(before, memory.freshAllocations(), "steady-state calls should allocate nothing new");
        assertTrue(memory.allocations() > handedOut);                  // the calls did take their arrays from it
    }

    /** Backprop: SameDiff's gradients, each call's lent to the caller and then reused by the next call. */
    @Test
    void backpropLendsItsGradientsAndReusesThemNextCall() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 64);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4, 64).addi(1);
        INDArray wantA = graph().calculateGradients(Map.of("x", a), "w").get("w").dup();
        INDArray wantB = graph().calculateGradients(Map.of("x", b), "w").get("w").dup();
        SameDiff sd = graph();
        var first = Backprop.run(sd, Map.of("x", a), java.util.List.of("loss"), java.util.List.of("w"));
        assertEquals(wantA, first.getGradients().get("w"));
        assertTrue(first.getOutputs().get("loss").getDouble(0) > 0);
        Backprop.gradients(sd, Map.of("x", b), java.util.List.of("w"));
        SessionMemory memory = assertInstanceOf(SessionMemory.class,
                sd.getFunction("grad").getSessions().values().iterator().next().getMmgr());
        long before = memory.freshAllocations();
        java.util.List<INDArray> held = new java.util.ArrayList<>();      // held: their memory cannot be freed
        java.util.Set<Long> addresses = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            INDArray g = Backprop.gradients(sd, Map.of("x", i % 2 == 0 ? a : b), java.util.List.of("w")).get("w");
            assertEquals(i % 2 == 0 ? wantA : wantB, g, "call " + i);
            held.add(g);
            addresses.add(g.data().address());
        }
        assertEquals(before, memory.freshAllocations(), "steady-state calls allocate nothing new inside");
        assertTrue(addresses.size() < held.size(), "lent gradients' memory is reused: " + addresses.size() + " buffers");
    }

    /** Dense: c order, elements one after another from offset 0; axes of extent 1 may have any stride. */
    @Test
    void denseArraysAreThoseLaidOutOneElementAfterAnother() {
        assertTrue(SessionMemory.isDense(Nd4j.create(DataType.FLOAT, 8, 1, 1, 32)), "[8, 1, 1, 32] as ND4J makes it");
        assertTrue(SessionMemory.isDense(Nd4j.create(DataType.FLOAT, 1, 1, 1, 64)));
        assertTrue(SessionMemory.isDense(Nd4j.create(DataType.FLOAT, 2, 3)));
        INDArray m = Nd4j.create(DataType.FLOAT, 4, 6);
        assertTrue(!SessionMemory.isDense(m.transpose()), "transposed");
        assertTrue(!SessionMemory.isDense(Nd4j.create(DataType.FLOAT, new long[] {4, 6}, 'f')), "f order");
        assertTrue(!SessionMemory.isDense(m.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all())), "rows from an offset");
        assertTrue(!SessionMemory.isDense(m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3))), "columns: gaps");
        assertTrue(SessionMemory.isDense(m.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all())), "leading rows");
    }

    @Test
    void aBufferHandedOutAgainAsTheSameShapeComesAsTheSameArray() {
        SessionMemory.FreeBuffers pool = new SessionMemory.FreeBuffers(1L << 30);
        SessionMemory memory = new SessionMemory(pool);
        var shape = org.nd4j.linalg.api.shape.LongShapeDescriptor.fromShape(new long[] {4, 8, 8, 2}, DataType.FLOAT);
        INDArray a = memory.allocate(false, shape);
        a.assign(3);
        memory.release(a);
        INDArray b = memory.allocate(false, shape);
        assertTrue(a == b, "the array made for the buffer and shape is handed out again");
        memory.release(b);
        INDArray flat = memory.allocate(false, org.nd4j.linalg.api.shape.LongShapeDescriptor.fromShape(
                new long[] {512}, DataType.FLOAT));
        assertTrue(flat.data() == a.data() && flat != a, "another shape: the same buffer, another array");
        assertEquals(1, flat.rank());
        INDArray viewed = SessionMemory.reshaped(memory, flat, 32, 16);
        assertTrue(viewed.data() == flat.data() && viewed.offset() == 0 && viewed.getFloat(31, 15) == 3f);
        assertEquals(1, Nd4j.getExecutioner().useCount(flat.data()), "no view buffer holds the use count");
        memory.reclaimLeftovers();                            // flat is pooled again: its arrays remembered
        assertEquals(1, pool.buffersWithArrays());
        INDArray taken = memory.allocate(false, shape);      // taken and then kept (not released), as a
        memory.endOfCall(org.nd4j.autodiff.samediff.config.ExecutionResult.builder()   // call's output is
                .valueOutputs(Map.of("out", org.nd4j.autodiff.samediff.config.SDValue.create(taken))).build());
        memory.reclaimLeftovers();
        assertEquals(0, pool.buffersWithArrays(), "a buffer given away: its arrays are forgotten");
    }

    @Test
    void slightlySmallerArraysReuseLargerBuffersAndOutputsKeepTheirOwnLength() {
        SameDiff sd = graph();
        INDArray big = Nd4j.rand(DataType.FLOAT, 16, 64);
        INDArray small = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 15)).dup();
        INDArray expected = graph().output(Map.of("x", small), "y").get("y").dup();
        sd.output(Map.of("x", big), "y");
        sd.output(Map.of("x", big), "y");
        SessionMemory memory = assertInstanceOf(SessionMemory.class,
                sd.getSessions().values().iterator().next().getMmgr());
        long before = memory.freshAllocations();
        INDArray y = null;
        for (int i = 0; i < 3; i++) {                                   // 15 rows in buffers made for 16
            y = sd.output(Map.of("x", small), "y").get("y");
        }
        assertEquals(before, memory.freshAllocations(), "a pooled buffer 1/16 too long should serve the call");
        assertEquals(expected, y);
        assertEquals(y.length(), y.data().length(), "an output should not keep a longer pooled buffer");
        sd.output(Map.of("x", big), "y");
        assertEquals(expected, y, "an output was overwritten by a later call");
    }
}
