package io.ukiyoe.graphs.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The op profile counts the ops of the calls it hears of, and forgets them when cleared. */
class OpProfileTest {
    private static String table(OpProfile profile) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        profile.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsEachOpTypeOfAPlannedCallAndForgetsOnClear() {
        SessionMemory.install();
        SameDiff sd = Graphs.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2, 3);
        sd.identity("y", sd.math().tanh(x).mul(2.0));
        OpProfile profile = new OpProfile();
        for (int i = 0; i < 3; i++) {
            sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 2, 3)), List.of(profile), "y");
        }
        String counted = table(profile);
        assertTrue(counted.matches("(?s).*\\ntanh\\s+[\\d.]+\\s+3\\s.*"), counted);
        assertTrue(counted.matches("(?s).*\\nmul_scalar\\s+[\\d.]+\\s+3\\s.*"), counted);
        profile.clear();
        String cleared = table(profile);
        assertTrue(!cleared.contains("tanh") && cleared.contains("0.0 ms in ops"), cleared);
    }
}
