package io.ukiyoe.graphs.runtime;

import io.ukiyoe.core.io.NdArrays;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.autodiff.samediff.ArrayHolder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Where every SameDiff graph of ours is created. */
public final class Graphs {
    private Graphs() {}

    /**
     * A new graph that holds each of its constants and variables once, and whose calls run from the
     * planned, pooled sessions ({@link SessionMemory#install}: repeated passes reuse their activations'
     * memory, and {@code FastKernels} replace slow libnd4j kernels). SameDiff M2.1's own holder keeps,
     * beside every array it is given, a copy to hand to other devices later, even on a single-device
     * backend: a 1024 px generator's 136 MB of constants took 272 MB. (ESRGAN's net, built before
     * without the sessions, took 3.2 s and 1.6 GiB an image instead of 1.8-2.3 s and 0.7 GiB.)
     */
    public static SameDiff create() {
        SessionMemory.install();
        SameDiff sd = SameDiff.create();
        sd.setArrayHolders(new SingleCopy(), new SingleCopy(), false);
        sd.setEagerArrays(new SingleCopy());
        return sd;
    }

    /**
     * Sets a float32 variable to {@code values} of {@code shape}: into its array where that is a plain one
     * of the shape (no new native memory; glibc did not reuse the memory of a temporary per weight, see
     * ConstantWeights), otherwise as a new array (a copy of the values).
     */
    public static void setValues(SDVariable var, long[] shape, float[] values) {
        INDArray current = var.getArr();
        if (current != null && current.dataType() == DataType.FLOAT && current.ordering() == 'c'
                && !current.isView() && current.offset() == 0 && current.data().length() == values.length
                && Arrays.equals(current.shape(), shape)) {
            NdArrays.write(values, current);
        } else {
            var.setArray(shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values.clone(), shape, DataType.FLOAT));
        }
    }

    /**
     * Arrays by name, each stored as given (a view as a copy of itself, as SameDiff's holder does, so a
     * constant never shares memory with the caller's array), safe to read from several threads. Setting
     * a name again with an array of the same shape and layout copies the values into the stored array,
     * as SameDiff's holder does: a graph's gradient function holds the stored arrays themselves, and
     * must see the new values.
     */
    static final class SingleCopy implements ArrayHolder {
        private final Map<String, INDArray> arrays = new ConcurrentHashMap<>();

        @Override
        public boolean hasArray(String name) {
            return arrays.containsKey(name);
        }

        @Override
        public INDArray getArray(String name) {
            return arrays.get(name);
        }

        @Override
        public void setArray(String name, INDArray array) {
            INDArray held = arrays.get(name);
            if (held != null && held != array && !held.isView()
                    && Arrays.equals(held.shapeInfoJava(), array.shapeInfoJava())) {
                held.assign(array);
                return;
            }
            arrays.put(name, array.isView() ? array.dup() : array);
        }

        @Override
        public INDArray removeArray(String name) {
            return arrays.remove(name);
        }

        @Override
        public int size() {
            return arrays.size();
        }

        @Override
        public void initFrom(ArrayHolder other) {
            arrays.clear();
            for (String name : other.arrayNames()) {
                arrays.put(name, other.getArray(name));
            }
        }

        @Override
        public Collection<String> arrayNames() {
            return Collections.unmodifiableCollection(arrays.keySet());
        }

        @Override
        public void rename(String from, String to) {
            INDArray a = arrays.remove(from);
            if (a != null) {
                arrays.put(to, a);
            }
        }
    }
}
