package io.ukiyoe.core.io;

import io.ukiyoe.core.UserError;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape checks of arrays read from user files (ND4J would accept a wrong shape silently or fail deep inside). */
public final class Shapes {
    private Shapes() {}

    /** A one-line error naming the file unless the array has the expected shape; -1 matches any size. */
    public static void check(Path file, INDArray a, long... expect) {
        boolean ok = a.rank() == expect.length;
        for (int i = 0; ok && i < expect.length; i++) {
            ok = expect[i] < 0 || a.size(i) == expect[i];
        }
        if (!ok) {
            String want = Arrays.toString(expect).replace("-1", "N");
            throw new UserError(file + ": expected shape " + want + ", got " + Arrays.toString(a.shape()));
        }
    }
}
