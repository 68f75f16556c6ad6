package io.ukiyoe.core.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NumpyRandomStateTest {
    @Test
    void matchesNumpyForSeed14() {
        // np.random.RandomState(14).randn(1, 4) printed by numpy 2.4
        double[] expected = {1.55133911, 0.07918602, 0.17397653, -0.07233657};
        double[] got = new NumpyRandomState(14).randn(4);
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], got[i], 1e-8);
        }
    }

    @Test
    void reproducesTheFixtureLatents() {
        // rosinality_tiny_z.npy = RandomState(2024).randn(8, 64) cast to float32; z2 is the next draw
        Path dir = Path.of(System.getProperty("ukiyoe.shared", "../../shared"), "fixtures");
        NumpyRandomState rs = new NumpyRandomState(2024);
        for (String f : new String[] {"rosinality_tiny_z.npy", "rosinality_tiny_z2.npy"}) {
            Tensor z = Npy.read(dir.resolve(f));
            double[] mine = rs.randn(z.data().length);
            for (int i = 0; i < mine.length; i++) {
                assertEquals(z.data()[i], (float) mine[i], 0f, f + " element " + i);
            }
        }
    }

    @Test
    void rejectsSeedsNumpyRejects() {
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(-1));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(1L << 32));
    }

    @Test
    void permutationAndChoiceAsNumpy() {
        // numpy 1.24: r = np.random.RandomState(5); r.permutation(10); r.choice(100, 5, replace=False)
        NumpyRandomState r = new NumpyRandomState(5);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {9, 5, 2, 4, 7, 1, 0, 8, 6, 3}, r.permutation(10));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {87, 10, 20, 23, 63}, r.choiceWithoutReplacement(100, 5));
    }
}
