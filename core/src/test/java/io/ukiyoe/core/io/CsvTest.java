package io.ukiyoe.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes the results tables and reports had before Jackson wrote them, and reading them back. */
class CsvTest {
    @Test
    void resultsRowsQuoteTextAndLeaveNumbersAndStatusBare() {
        String row = Csv.row(Csv.number("%d", 3), "{\"type\":\"swap\",\"resolution\":8}", Csv.number("%.6f", 0.5),
                Csv.number("%.6f", Double.NaN), Csv.number("%.2f", 12.345), new Csv.Raw("ok"), "");
        assertEquals("3,\"{\"\"type\"\":\"\"swap\"\",\"\"resolution\"\":8}\",0.500000,NaN,12.35,ok,\"\"", row);
        assertEquals(List.of("3", "{\"type\":\"swap\",\"resolution\":8}", "0.500000", "NaN", "12.35", "ok", ""),
                Csv.split(row));
        assertEquals("1,\"IllegalStateException: a, \"\"b\"\"\"", Csv.row(new Csv.Raw("1"), "IllegalStateException: a, \"b\""));
    }

    @Test
    void reportRowsQuoteOnlyWhereNeededAndCutLinesHaveNoCells() {
        assertEquals("synthesis/b8/conv0/weight,0.25,blend,conv,8,,", Csv.plainRow("synthesis/b8/conv0/weight", 0.25,
                "blend", "conv", 8, null, null));
        assertEquals("\"a,b.png\",1.5", Csv.plainRow("a,b.png", 1.5));
        assertEquals(List.of(), Csv.split("2,\"{\\\"tra"));
        assertEquals(List.of("a.png", " 1", "2"), Csv.split("a.png, 1,2"));
    }
}
