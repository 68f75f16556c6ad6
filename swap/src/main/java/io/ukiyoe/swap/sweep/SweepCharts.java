package io.ukiyoe.swap.sweep;

import io.ukiyoe.data.charts.Chart;
import io.ukiyoe.data.charts.ChartPng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code results.png} of a sweep, from its {@code results.csv}: the objective of every scored candidate in
 * order, then one scatter per numeric schedule parameter (resolution, width, level, ...) against the
 * objective, so the shape of the search space shows at a glance. Failed candidates are not plotted.
 */
public final class SweepCharts {
    public static final String FILE = "results.png";

    private SweepCharts() {}

    public static Chart of(List<SweepResults.Row> rows, String title) {
        List<SweepResults.Row> ok = rows.stream().filter(r -> r.status().equals("ok")).toList();
        double[] index = ok.stream().mapToDouble(SweepResults.Row::index).toArray();
        double[] objective = ok.stream().mapToDouble(SweepResults.Row::objective).toArray();
        List<Chart.Panel> panels = new ArrayList<>();
        panels.add(new Chart.Panel("objective per candidate", "candidate", "objective (lower is better)", true,
                List.of(new Chart.Series("objective", index, objective))));
        Map<String, List<double[]>> byParameter = new LinkedHashMap<>();
        var json = JsonMapper.builder().build();
        for (SweepResults.Row r : ok) {
            JsonNode schedule = json.readTree(r.schedule());
            for (var e : schedule.properties()) {
                if (e.getValue().isNumber()) {
                    byParameter.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(new double[] {e.getValue().asDouble(), r.objective()});
                }
            }
        }
        byParameter.forEach((name, pts) -> panels.add(new Chart.Panel(name + " vs objective", name, "objective", true,
                List.of(new Chart.Series(name, pts.stream().mapToDouble(p -> p[0]).toArray(),
                        pts.stream().mapToDouble(p -> p[1]).toArray())))));
        return new Chart(title, panels);
    }

    /** The chart of the {@code results.csv} in a sweep's run folder. */
    public static Chart of(Path runDir) {
        List<SweepResults.Row> rows = new ArrayList<>(SweepResults.read(runDir.resolve(SweepResults.FILE)).values());
        return of(rows, runDir.getFileName() + ": " + SweepResults.FILE);
    }

    /** Draws {@code results.png} from the {@code results.csv} in a sweep's run folder. */
    public static void write(Path runDir) throws IOException {
        ChartPng.write(of(runDir), runDir.resolve(FILE));
    }
}
