package io.ukiyoe.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ukiyoe.core.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ShapesTest {
    @Test
    void anyRowCountButTheRestExactly() {
        var a = Nd4j.create(DataType.FLOAT, 5, 18, 512);
        Shapes.check(Path.of("ws.npy"), a, -1, 18, 512);
        UserError e = assertThrows(UserError.class, () -> Shapes.check(Path.of("ws.npy"), a, -1, 14, 512));
        assertEquals("ws.npy: expected shape [N, 14, 512], got [5, 18, 512]", e.getMessage());
        assertThrows(UserError.class, () -> Shapes.check(Path.of("z.npy"), a, -1, 18));   // rank differs
        assertThrows(UserError.class, () -> Shapes.check(Path.of("z.npy"), a, 4, 18, 512));
    }
}
