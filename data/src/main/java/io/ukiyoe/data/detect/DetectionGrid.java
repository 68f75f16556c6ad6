package io.ukiyoe.data.detect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Photos with their detected boxes and five points drawn, letterboxed into equal cells for a grid. */
final class DetectionGrid {
    static final int CELL = 256;
    /** Point colours: left eye, right eye, nose, left mouth, right mouth. */
    private static final Color[] POINT = {Color.CYAN, Color.BLUE, Color.YELLOW, Color.MAGENTA, Color.RED};

    private DetectionGrid() {}

    static BufferedImage thumbnail(BufferedImage img, List<DetectedFace> faces) {
        double s = Math.min(CELL / (double) img.getWidth(), CELL / (double) img.getHeight());
        int w = Math.max(1, (int) Math.round(img.getWidth() * s));
        int h = Math.max(1, (int) Math.round(img.getHeight() * s));
        int ox = (CELL - w) / 2;
        int oy = (CELL - h) / 2;
        BufferedImage t = new BufferedImage(CELL, CELL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = t.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, CELL, CELL);
        g.drawImage(img, ox, oy, w, h, null);
        g.setStroke(new BasicStroke(1.5f));
        for (DetectedFace f : faces) {
            double[] b = f.box();
            g.setColor(Color.GREEN);
            g.drawRect((int) Math.round(ox + b[0] * s), (int) Math.round(oy + b[1] * s),
                    (int) Math.round((b[2] - b[0]) * s), (int) Math.round((b[3] - b[1]) * s));
            for (int k = 0; k < 5; k++) {
                g.setColor(POINT[k]);
                int x = (int) Math.round(ox + f.points()[k][0] * s);
                int y = (int) Math.round(oy + f.points()[k][1] * s);
                g.fillOval(x - 2, y - 2, 5, 5);
            }
        }
        g.dispose();
        return t;
    }
}
