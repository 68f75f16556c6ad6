package io.ukiyoe.core.io;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Bulk copies between ND4J arrays and Java arrays (DataBuffer.asFloat() copies element by element). */
public final class NdArrays {
    private NdArrays() {}

    /** The values of {@code a} in C order as float32. */
    public static float[] floats(INDArray a) {
        return floats(a, new float[(int) a.length()]);
    }

    /** The values of {@code a} in C order as float32, copied into {@code out} (as many as a has); returns out. */
    public static float[] floats(INDArray a, float[] out) {
        if (out.length != a.length()) {
            throw new IllegalArgumentException("array of " + a.length() + " values into " + out.length);
        }
        // C-ordered float32 from the start of its buffer (which may be longer) is read as it is
        INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.offset() == 0
                && a.data().offset() == 0 && a.data().length() >= a.length()
                && java.util.Arrays.equals(a.stride(), org.nd4j.linalg.factory.Nd4j.getStrides(a.shape(), 'c'))
                ? a : a.castTo(DataType.FLOAT).dup('c');
        FloatBuffer fb = c.data().asNioFloat();
        fb.position((int) c.data().offset());
        fb.get(out, 0, out.length);
        return out;
    }

    /**
     * Writes {@code values} into {@code into} in one bulk copy (DataBuffer.setData copies value by
     * value): a float32 array, C-ordered from the start of its buffer, which may be longer.
     */
    public static void write(float[] values, INDArray into) {
        // C strides from offset 0 (a vector's view may say 'f' and still be laid out so)
        if (into.dataType() != DataType.FLOAT || into.offset() != 0
                || into.data().offset() != 0 || into.length() != values.length
                || !java.util.Arrays.equals(into.stride(), org.nd4j.linalg.factory.Nd4j.getStrides(into.shape(), 'c'))) {
            throw new IllegalArgumentException("not a float32 array C-ordered from its buffer's start with "
                    + values.length + " values: " + into.shapeInfoToString().replace('\n', ' '));
        }
        into.data().asNioFloat().put(values);
        // written on the host: a CUDA backend copies it to the device before the next op reads it
        org.nd4j.linalg.factory.Nd4j.getAffinityManager().tagLocation(into,
                org.nd4j.linalg.api.concurrency.AffinityManager.Location.HOST);
    }

    /** A float32 tensor of {@code a}'s shape and values. */
    public static Tensor tensor(INDArray a) {
        return new Tensor(a.shape(), floats(a));
    }
}
