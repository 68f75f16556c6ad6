package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The bar's pace counts only the work done in this process. */
class ProgressTest {
    @Test
    void aResumedJobsPaceCountsFromTheStepItResumedAt() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), "train", 7000);
        p.update(5001);                                      // resumed at step 5,000: the first report
        assertTrue(Double.isNaN(p.secondsPerUnit(5001, 0, 1.0)), "no pace before a second report");
        // 10 more steps in 5 s: half a second a step, so 1,989 steps left take about 995 s (not 5,000 steps' pace)
        double perStep = p.secondsPerUnit(5011, 5.0, 5.0);
        assertEquals(0.5, perStep, 1e-9);
    }

    @Test
    void aFreshJobsFirstReportUsesTheWholeElapsedTime() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), "pairs", 100, "pairs");
        p.update(1);
        assertEquals(4.0, p.secondsPerUnit(1, 0, 4.0), 1e-9, "one unit in 4 s");
        assertEquals(2.0, p.secondsPerUnit(3, 4.0, 6.0), 1e-9, "two more units in 4 s");
    }
}
