package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark commands on tiny networks: the options shape the network, and the figure comes last. */
class BenchCommandTest {
    private static List<String> lines(CliRun r) {
        return r.out().lines().toList();
    }

    @Test
    void trainTakesTheAnchorsNetworkOptionsAndPrintsSecondsPerStepLast() {
        CliRun r = CliRun.of("bench", "train", "--resolution", "16", "--channel-base", "128", "--channel-max", "12",
                "--z-dim", "8", "--n-mlp", "2", "--batch", "4", "--warmup", "1", "--iters", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> out = lines(r);
        // channels min(128 / r, 12) at 4, 8, 16
        assertEquals("training step at 16 px, batch 4, channels [12, 12, 8], z/w 8, 2 mapping layers", out.get(0));
        assertTrue(out.get(out.size() - 1).matches("seconds/step: \\d+\\.\\d{3}"), out.toString());
        // each step with the memory in use after it, and the peak before the figure
        assertTrue(out.get(1).matches("  r1-step 1 \\(warm-up\\): \\d+\\.\\d{3} s \\((resident \\d+\\.\\d\\d GiB, )?pooled "
                + "\\d+\\.\\d\\d GiB, heap \\d+\\.\\d\\d GiB\\)"), out.toString());
        assertTrue(out.get(out.size() - 2).startsWith("peak memory: "), out.toString());
    }

    @Test
    void trainRefusesANetworkItCannotBuild() {
        CliRun table = CliRun.of("bench", "train", "--resolution", "32");
        assertEquals(2, table.exit());
        assertTrue(table.err().contains("--channel-base must be positive (0, the default table, is for 64 px only)"), table.err());
        CliRun empty = CliRun.of("bench", "train", "--resolution", "64", "--channel-base", "32");
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("leaves no channels at 64 px"), empty.err());
        assertEquals(2, CliRun.of("bench", "train", "--resolution", "48", "--channel-base", "512").exit());
    }

    @Test
    void generatePrintsThroughputThenSecondsPerImageLast() {
        CliRun r = CliRun.of("bench", "generate", "--resolution", "8", "--batch", "2", "--warmup", "1", "--iters", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> out = lines(r);
        String images = out.get(out.size() - 2);
        String seconds = out.get(out.size() - 1);
        assertTrue(images.matches("images/s: \\d+\\.\\d{3}"), out.toString());
        assertTrue(seconds.matches("seconds/image: \\d+\\.\\d{3}"), out.toString());
        assertTrue(Double.parseDouble(images.substring(images.indexOf(' ') + 1)) > 0, images);
    }
}
