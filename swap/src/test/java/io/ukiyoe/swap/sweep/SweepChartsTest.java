package io.ukiyoe.swap.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.charts.Chart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepChartsTest {
    @TempDir
    Path dir;

    @Test
    void objectivePerCandidateAndEachNumericParameterAgainstIt() throws Exception {
        List<SweepResults.Row> rows = List.of(
                new SweepResults.Row(0, "{\"type\":\"sigmoid\",\"resolution\":16,\"width\":0.5}", 1, 0.9, 0.8, 0, Double.NaN, Double.NaN, 0.25, 1, "ok", null),
                new SweepResults.Row(1, "{\"type\":\"swap\",\"resolution\":8}", 1, 0.9, 0.8, 0, Double.NaN, Double.NaN, 0.5, 1, "ok", null),
                new SweepResults.Row(2, "{\"type\":\"swap\",\"resolution\":32}", 0, 0, 0, 0, Double.NaN, Double.NaN, 0, 1, "failed", "boom"),
                new SweepResults.Row(3, "{\"type\":\"sigmoid\",\"resolution\":32,\"width\":1.5}", 1, 0.9, 0.8, 0, Double.NaN, Double.NaN, 0.125, 1, "ok", null));
        Files.writeString(dir.resolve(SweepResults.FILE), SweepResults.HEADER + "\n"
                + String.join("\n", rows.stream().map(SweepResults.Row::csv).toList()) + "\n");
        Chart c = SweepCharts.of(dir);
        assertEquals(List.of("objective per candidate", "resolution vs objective", "width vs objective"),
                c.panels().stream().map(Chart.Panel::title).toList());
        Chart.Series perCandidate = c.panel("objective per candidate").series().get(0);
        assertArrayEquals(new double[] {0, 1, 3}, perCandidate.x(), "failed candidates are not plotted");
        assertArrayEquals(new double[] {0.25, 0.5, 0.125}, perCandidate.y());
        assertArrayEquals(new double[] {16, 8, 32}, c.panel("resolution vs objective").series().get(0).x());
        assertArrayEquals(new double[] {0.5, 1.5}, c.panel("width vs objective").series().get(0).x());
        assertArrayEquals(new double[] {0.25, 0.125}, c.panel("width vs objective").series().get(0).y());
        SweepCharts.write(dir);
        assertTrue(Files.size(dir.resolve(SweepCharts.FILE)) > 2000);
    }
}
