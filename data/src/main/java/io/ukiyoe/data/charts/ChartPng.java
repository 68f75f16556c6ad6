package io.ukiyoe.data.charts;

import io.ukiyoe.data.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link Chart} with JFreeChart: its panels in a grid of up to three columns, one PNG (written atomically). */
public final class ChartPng {
    private static final int PANEL_W = 520;
    private static final int PANEL_H = 320;
    private static final int TITLE_H = 36;

    private ChartPng() {}

    public static void write(Chart chart, Path file) throws IOException {
        Images.writePng(file, render(chart));
    }

    public static BufferedImage render(Chart chart) {
        int n = Math.max(1, chart.panels().size());
        int cols = Math.min(3, n);
        int rows = (n + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * PANEL_W, TITLE_H + rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(chart.title(), 12, 25);
            for (int i = 0; i < chart.panels().size(); i++) {
                Rectangle2D area = new Rectangle2D.Double((i % cols) * PANEL_W, TITLE_H + (i / cols) * PANEL_H, PANEL_W, PANEL_H);
                plot(chart.panels().get(i)).draw(g, area);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static JFreeChart plot(Chart.Panel p) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Chart.Series s : p.series()) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xy.add(s.x()[i], s.y()[i]);
                }
            }
            data.addSeries(xy);
        }
        NumberAxis x = new NumberAxis(p.xLabel());
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(p.yLabel());
        y.setAutoRangeIncludesZero(false);
        int longest = p.series().stream().mapToInt(s -> s.x().length).max().orElse(0);
        // markers where a line alone would hide the points: scatters, and series of a few snapshots
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(!p.points(), p.points() || longest < 20);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(p.title(), new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, p.series().size() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
