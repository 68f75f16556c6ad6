package io.ukiyoe.data.charts;

import java.util.List;

/**
 * What a chart image shows: panels of named (x, y) series. Built from a run's own logs (metrics.jsonl,
 * results.csv) and then drawn by {@link ChartPng}, so tests can check the plotted numbers themselves.
 */
public record Chart(String title, List<Panel> panels) {
    /** One plot: its series share the axes; {@code points} draws markers only (a scatter), else lines. */
    public record Panel(String title, String xLabel, String yLabel, boolean points, List<Series> series) {}

    /** Values in plotting order; non-finite values are gaps. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x values for " + y.length + " y values");
            }
        }
    }

    /** The panel with this title, for tests and callers that add to a chart. */
    public Panel panel(String title) {
        return panels.stream().filter(p -> p.title().equals(title)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no panel '" + title + "'"));
    }
}
