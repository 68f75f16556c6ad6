package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Csv;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A blend sweep's {@code results.csv}: one row per finished candidate, appended as it ends, read back
 * by a resumed sweep and by the charts.
 */
public final class SweepResults {
    public static final String FILE = "results.csv";
    public static final String HEADER = 
            "index,schedule,swd_x1e3,correlation16,ssim32,yaw_difference,fid,kid_x1e3,objective,seconds,status,error";

    private SweepResults() {}

    /** One finished candidate; fid and kid (x1e3) are NaN without {@code metrics.inception}. */
    public record Row(int index, String schedule, double swd, double correlation16, double ssim32, double yawDifference,
                      double fid, double kid, double objective, double seconds, String status, String error)
            implements Serializable {
        public String csv() {
            return Csv.row(Csv.number("%d", index), schedule, Csv.number("%.6f", swd), Csv.number("%.6f", correlation16),
                    Csv.number("%.6f", ssim32), Csv.number("%.6f", yawDifference), Csv.number("%.6f", fid), Csv.number("%.6f", kid),
                    Csv.number("%.6f", objective),
                    Csv.number("%.2f", seconds), new Csv.Raw(status), error == null ? "" : error);
        }
    }

    /** Appends a row to the table in {@code runDir}, the header first when the table is new. */
    static void append(Path runDir, Row r) {
        Csv.appendRow(runDir.resolve(FILE), HEADER, r.csv());
    }

    /** Sorted rows, best first (failed rows last). */
    public static List<Row> ranked(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing((Row r) -> !r.status().equals("ok")).thenComparingDouble(Row::objective));
        return out;
    }

    /** The finished candidates of a table (an earlier, interrupted run), by schedule key; a line cut short is skipped. */
    public static Map<String, Row> read(Path file) {
        Map<String, Row> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (!lines.isEmpty() && !lines.get(0).equals(HEADER)) {
                throw new UserError(file + ": written by another version (columns " + lines.get(0) + "); start a new run");
            }
            for (int i = 1; i < lines.size(); i++) {
                List<String> cells = Csv.split(lines.get(i));
                if (cells.size() < 12) {
                    continue; // a line cut short by a crash: computed again
                }
                Row r = new Row(Integer.parseInt(cells.get(0)), cells.get(1), Double.parseDouble(cells.get(2)),
                        Double.parseDouble(cells.get(3)), Double.parseDouble(cells.get(4)), Double.parseDouble(cells.get(5)),
                        Double.parseDouble(cells.get(6)), Double.parseDouble(cells.get(7)), Double.parseDouble(cells.get(8)),
                        Double.parseDouble(cells.get(9)), cells.get(10), cells.get(11).isEmpty() ? null : cells.get(11));
                out.put(r.schedule(), r);
            }
        } catch (UserError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": cannot read the results of the earlier run: " + e.getMessage(), e);
        }
        return out;
    }
}
