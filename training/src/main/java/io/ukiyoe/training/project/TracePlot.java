package io.ukiyoe.training.project;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * trace.png: the projection's losses per step on a log scale (total, perceptual, noise penalty x weight,
 * MSE), one colour each, so a run that stalls or diverges shows at a glance.
 */
final class TracePlot {
    private static final int W = 640;
    private static final int H = 360;
    private static final int M = 48;

    private TracePlot() {}

    /** One image's curves: total, perceptual, weighted noise penalty, MSE. */
    static BufferedImage ofSteps(List<Projector.Step> steps, double noiseWeight) {
        double[][] series = new double[4][steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            Projector.Step s = steps.get(i);
            series[0][i] = s.loss();
            series[1][i] = s.pLoss();
            series[2][i] = s.nLoss() * noiseWeight;
            series[3][i] = s.mseLoss();
        }
        return draw(new String[] {"loss", "p_loss", "noise x weight", "mse"}, series);
    }

    /** Curves on a shared log axis, one label each (up to eight distinct colours, then they repeat). */
    static BufferedImage draw(String[] labels, double[][] series) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int n = 0;
        for (double[] ser : series) {
            n = Math.max(n, ser.length);
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double[] ser : series) {
            for (double v : ser) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, Math.log10(v));
                    hi = Math.max(hi, Math.log10(v));
                }
            }
        }
        if (lo > hi) {
            lo = -1;
            hi = 1;
        }
        lo = Math.floor(lo);
        hi = Math.max(lo + 1, Math.ceil(hi));
        g.setColor(Color.LIGHT_GRAY);
        for (double d = lo; d <= hi; d++) {
            int y = yOf(d, lo, hi);
            g.drawLine(M, y, W - M / 2, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString("1e" + (int) d, 4, y + 4);
            g.setColor(Color.LIGHT_GRAY);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(M, M / 2, W - M - M / 2, H - M - M / 2);
        g.drawString(String.format(Locale.ROOT, "step (0 .. %d)", Math.max(0, n - 1)), W / 2 - 40, H - 12);
        Color[] colors = {Color.BLACK, new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf)};
        g.setStroke(new BasicStroke(1.5f));
        for (int k = 0; k < series.length; k++) {
            g.setColor(colors[k % colors.length]);
            int px = -1;
            int py = -1;
            for (int i = 0; i < series[k].length; i++) {
                double v = series[k][i];
                if (!(v > 0) || !Double.isFinite(v)) {
                    px = -1;
                    continue;
                }
                int x = M + (int) Math.round((W - M - M / 2.0) * i / Math.max(1, n - 1));
                int y = yOf(Math.log10(v), lo, hi);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawString(labels[k], W - M / 2 - 110, M / 2 + 16 + 14 * k);
        }
        g.dispose();
        return img;
    }

    private static int yOf(double logV, double lo, double hi) {
        return M / 2 + (int) Math.round((H - M - M / 2.0) * (hi - logV) / (hi - lo));
    }
}
