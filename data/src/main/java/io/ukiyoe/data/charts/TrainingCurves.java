package io.ukiyoe.data.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code curves.png} of a training run, from its {@code metrics.jsonl}: every logged number against kimg
 * (or step, for logs without kimg). Keys with "loss" in their name share one panel; every other key (R1,
 * path length, ADA p, learning rate, FID, KID, ...) gets its own, in the order they first appear. Lines
 * cut short by a crash are skipped, like the resume logic does.
 */
public final class TrainingCurves {
    public static final String FILE = "curves.png";
    private static final Set<String> AXES = Set.of("step", "kimg", "epoch", "images_per_s");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private TrainingCurves() {}

    /** The chart of a metrics.jsonl file. */
    public static Chart of(Path metricsJsonl, String title) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(metricsJsonl)) {
            try {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            } catch (JacksonException e) {
                // a line cut short by a crash: not plotted
            }
        }
        String xKey = rows.stream().anyMatch(r -> r.has("kimg")) ? "kimg" : "step";
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            if (!r.has(xKey)) {
                continue;
            }
            double x = r.get(xKey).asDouble();
            for (var e : r.properties()) {
                if (!AXES.contains(e.getKey()) && (e.getValue().isNumber() || e.getValue().isNull())) {
                    double y = e.getValue().isNull() ? Double.NaN : e.getValue().asDouble();
                    points.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {x, y});
                }
            }
        }
        List<Chart.Series> losses = new ArrayList<>();
        List<Chart.Panel> panels = new ArrayList<>();
        points.forEach((key, pts) -> {
            Chart.Series s = series(key, pts);
            if (key.toLowerCase(Locale.ROOT).contains("loss")) {
                losses.add(s);
            } else if (pts.stream().anyMatch(p -> Double.isFinite(p[1]))) {
                panels.add(new Chart.Panel(key, xKey, key, false, List.of(s)));
            }
        });
        if (!losses.isEmpty()) {
            panels.add(0, new Chart.Panel("losses", xKey, "loss", false, losses));
        }
        return new Chart(title, panels);
    }

    /** Redraws {@code curves.png} beside {@code metrics.jsonl} in a run folder (nothing if there is no log yet). */
    public static void write(Path runDir) throws IOException {
        Path log = runDir.resolve("metrics.jsonl");
        if (Files.exists(log)) {
            ChartPng.write(of(log, runDir.getFileName() + ": metrics.jsonl"), runDir.resolve(FILE));
        }
    }

    /**
     * {@link #write}, for a training loop at each snapshot: a chart that cannot be drawn is a warning
     * ({@code warn}), never the end of the run.
     */
    public static void refresh(Path runDir, java.util.function.Consumer<String> warn) {
        try {
            write(runDir);
        } catch (IOException | RuntimeException e) {
            warn.accept("warning: " + FILE + " not redrawn: " + e.getMessage());
        }
    }

    private static Chart.Series series(String name, List<double[]> pts) {
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new Chart.Series(name, x, y);
    }
}
