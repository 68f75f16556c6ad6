package io.ukiyoe.swap.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.csv: rows appended as candidates end, read back whole, a line cut short by a crash skipped. */
class SweepResultsTest {
    @TempDir
    Path dir;

    @Test
    void rowsRoundTripAndACutLineIsSkipped() throws Exception {
        SweepResults.Row a = new SweepResults.Row(0, "{\"type\":\"swap\",\"resolution\":8}", 1.5, 0.9, 0.8, 0.1, 12.5, 3.25,
                0.75, 2.5, "ok", null);
        SweepResults.Row b = new SweepResults.Row(1, "{\"type\":\"swap\",\"resolution\":16}", Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, "failed", "IllegalStateException: a, \"b\"");
        SweepResults.append(dir, a);
        SweepResults.append(dir, b);
        Path file = dir.resolve(SweepResults.FILE);
        assertEquals(SweepResults.HEADER, Files.readAllLines(file).get(0));
        assertEquals("0,\"{\"\"type\"\":\"\"swap\"\",\"\"resolution\"\":8}\",1.500000,0.900000,0.800000,0.100000,12.500000,"
                + "3.250000,0.750000,2.50,ok,\"\"", Files.readAllLines(file).get(1));
        Files.writeString(file, "2,\"{\\\"type", StandardOpenOption.APPEND);
        Map<String, SweepResults.Row> read = SweepResults.read(file);
        assertEquals(List.of(a.schedule(), b.schedule()), List.copyOf(read.keySet()));
        assertEquals(a, read.get(a.schedule()));
        assertEquals(b.error(), read.get(b.schedule()).error());
        assertEquals(List.of(a, read.get(b.schedule())), SweepResults.ranked(List.copyOf(read.values())));
    }
}
