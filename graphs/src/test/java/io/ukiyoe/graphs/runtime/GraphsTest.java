package io.ukiyoe.graphs.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.ArrayHolder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Graphs from {@link Graphs#create} hold each constant and variable once, and run as SameDiff's own do. */
class GraphsTest {
    /** The array that ND4J's holder keeps beside {@code name}'s, for other devices (null: none). */
    private static Object deviceCopy(ArrayHolder holder, String name) throws ReflectiveOperationException {
        Field map = holder.getClass().getDeclaredField("map");
        map.setAccessible(true);
        Object local = ((Map<?, ?>) map.get(holder)).get(name);
        for (Class<?> c = local.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals("delayedArray")) {
                    f.setAccessible(true);
                    return f.get(local);
                }
            }
        }
        throw new NoSuchFieldException("delayedArray in " + local.getClass());
    }

    @Test
    void sameDiffsOwnHolderKeepsASecondCopyOfEveryConstant() throws ReflectiveOperationException {
        // the reason for Graphs.create: if a later ND4J stops copying, this fails and the holder can go
        SameDiff sd = SameDiff.create();
        INDArray w = Nd4j.rand(DataType.FLOAT, 64, 64);
        sd.constant("w", w);
        Object copy = deviceCopy(sd.getConstantArrays(), "w");
        assertNotNull(copy);
        assertFalse(((INDArray) copy).data() == w.data());
    }

    @Test
    void constantsAndVariablesAreHeldAsGiven() {
        SameDiff sd = Graphs.create();
        INDArray w = Nd4j.rand(DataType.FLOAT, 8, 8);
        INDArray v = Nd4j.rand(DataType.FLOAT, 8, 8);
        assertSame(w, sd.constant("w", w).getArr());
        assertSame(v, sd.var("v", v).getArr());
        assertEquals(1, sd.getConstantArrays().size());
        assertEquals(1, sd.getVariablesArrays().size());
    }

    @Test
    void settingAVariableAgainReachesItsGradientFunction() {
        // as with SameDiff's holder: values of the same shape are copied into the held array, which the
        // gradient function holds too, so a gradient after the update is taken at the new values
        SameDiff sd = Graphs.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
        SDVariable w = sd.var("w", Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}}));
        x.mmul(w).mul(x.mmul(w)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray held = w.getArr();
        Map<String, INDArray> feed = Map.of("x", Nd4j.createFromArray(new float[][] {{1, 2}}));
        assertArrayEquals(new float[] {2, 4, 4, 8}, sd.calculateGradients(feed, "w").get("w").dup().data().asFloat(), 1e-6f);
        w.setArray(Nd4j.createFromArray(new float[][] {{2, 0}, {0, 2}}));
        assertSame(held, w.getArr());
        assertArrayEquals(new float[] {4, 8, 8, 16}, sd.calculateGradients(feed, "w").get("w").dup().data().asFloat(), 1e-6f);
        w.setArray(Nd4j.ones(DataType.FLOAT, 2, 3));                       // another shape: held anew
        assertArrayEquals(new long[] {2, 3}, w.getArr().shape());
    }

    @Test
    void valuesAreSetInPlaceWhereTheShapeAllows() {
        SameDiff sd = Graphs.create();
        SDVariable w = sd.var("w", Nd4j.zeros(DataType.FLOAT, 2, 2));
        INDArray held = w.getArr();
        Graphs.setValues(w, new long[] {2, 2}, new float[] {1, 2, 3, 4});
        assertSame(held, w.getArr());
        assertArrayEquals(new float[] {1, 2, 3, 4}, held.data().asFloat(), 0f);
        Graphs.setValues(w, new long[] {4}, new float[] {5, 6, 7, 8});               // another shape: a new array
        assertArrayEquals(new long[] {4}, w.getArr().shape());
        assertArrayEquals(new float[] {5, 6, 7, 8}, w.getArr().data().asFloat(), 0f);
        SDVariable s = sd.var("s", Nd4j.zeros(DataType.FLOAT, 1));                  // to a scalar: a new array
        Graphs.setValues(s, new long[0], new float[] {2.5f});
        assertEquals(0, s.getArr().rank());
        assertEquals(2.5f, s.getArr().getFloat(0), 0f);
    }

    @Test
    void aViewIsHeldAsItsOwnCopy() {
        SameDiff sd = Graphs.create();
        INDArray base = Nd4j.linspace(1, 64, 64, DataType.FLOAT).reshape(8, 8);
        INDArray row = base.get(NDArrayIndex.point(2), NDArrayIndex.all());
        INDArray held = sd.constant("row", row).getArr();
        assertFalse(held.isView());
        base.assign(0);                                    // the caller's array changes; the constant does not
        assertArrayEquals(new float[] {17, 18, 19, 20, 21, 22, 23, 24}, held.toFloatVector(), 0f);
    }

    @Test
    void outputsAndGradientsMatchAGraphOfSameDiffsOwn() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 16).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 16, 16).subi(0.5);
        INDArray c = Nd4j.rand(DataType.FLOAT, 1, 16);
        @SuppressWarnings("unchecked")
        Map<String, INDArray>[] results = new Map[2];
        SameDiff[] graphs = {SameDiff.create(), Graphs.create()};
        for (int i = 0; i < 2; i++) {
            SameDiff sd = graphs[i];
            SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 16);
            SDVariable y = sd.nn().tanh(in.mmul(sd.var("w", w.dup())).add(sd.constant("c", c.dup())));
            y.mul(y).sum().rename("loss");
            sd.setLossVariables("loss");
            results[i] = new java.util.HashMap<>(sd.calculateGradients(Map.of("x", x), "w"));
            results[i].put("loss", sd.output(Map.of("x", x), "loss").get("loss"));
        }
        assertEquals(results[0].get("loss").getDouble(0), results[1].get("loss").getDouble(0), 1e-6);
        assertArrayEquals(results[0].get("w").data().asFloat(), results[1].get("w").data().asFloat(), 1e-6f);
    }
}
