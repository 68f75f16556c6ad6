package io.ukiyoe.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Bulk copies between ND4J arrays and Java arrays. */
class NdArraysTest {
    @Test
    void writesIntoAnArrayAndIntoTheStartOfALongerBuffer() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 3);
        NdArrays.write(new float[] {1, 2, 3, 4, 5, 6}, a);
        assertEquals(6f, a.getFloat(1, 2));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, NdArrays.floats(a), 0f);

        INDArray longer = Nd4j.zeros(DataType.FLOAT, 10);
        INDArray head = longer.get(NDArrayIndex.interval(0, 4)).reshape('c', 2, 2);
        NdArrays.write(new float[] {7, 8, 9, 10}, head);
        assertEquals(9f, head.getFloat(1, 0));
        assertArrayEquals(new float[] {7, 8, 9, 10, 0, 0, 0, 0, 0, 0}, longer.toFloatVector(), 0f);
    }

    @Test
    void refusesWhatItCannotFillInOrder() {
        INDArray t = Nd4j.zeros(DataType.FLOAT, 2, 3).transpose();
        assertThrows(IllegalArgumentException.class, () -> NdArrays.write(new float[6], t));
        assertThrows(IllegalArgumentException.class, () -> NdArrays.write(new float[5], Nd4j.zeros(DataType.FLOAT, 6)));
        assertThrows(IllegalArgumentException.class, () -> NdArrays.write(new float[6], Nd4j.zeros(DataType.DOUBLE, 6)));
        INDArray tail = Nd4j.zeros(DataType.FLOAT, 10).get(NDArrayIndex.interval(4, 10));
        assertThrows(IllegalArgumentException.class, () -> NdArrays.write(new float[6], tail));
    }
}
