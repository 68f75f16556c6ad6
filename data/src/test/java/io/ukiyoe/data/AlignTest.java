package io.ukiyoe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.data.align.FaceAlign;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class AlignTest {
    /**
     * An upright face with eye distance d and eye-to-mouth m (2d >= 1.8m) lands with its eyes at
     * ((s - d/2) / 2s, (s - 0.1 m) / 2s) and ((s + d/2) / 2s, ...) of the output, s = 2d, whatever the
     * rotation, scale and position of the face in the photo (FFHQ recipe).
     */
    static final double D = 100;
    static final double M = 80;

    @ParameterizedTest
    @CsvSource({
            // rotation (deg), scale, centre x, centre y, image w, image h
            "0, 1.0, 400, 300, 800, 600",
            "25, 1.0, 400, 300, 800, 600",
            "-40, 0.6, 250, 200, 700, 500",
            "10, 2.5, 500, 500, 1000, 1000",
            "15, 1.0, 120, 110, 640, 480",      // near the corner: the square leaves the image (reflect padding)
            "-20, 5.0, 1300, 1300, 2600, 2600"   // very large face: shrunk first
    })
    void eyesLandWhereTheRecipePutsThem(double rot, double scale, double cx, double cy, int w, int h) {
        int out = 256;
        double s = 2 * D;
        double[] expectL = {(s - D / 2) / (2 * s) * out - 0.5, (s - 0.1 * M) / (2 * s) * out - 0.5};
        double[] expectR = {(s + D / 2) / (2 * s) * out - 0.5, expectL[1]};

        double t = Math.toRadians(rot);
        // face frame: eyes at (+-D/2, 0), mouth corners at (+-D/4, M), around the eye midpoint
        double[][] pts = {{-D / 2, 0}, {D / 2, 0}, {-D / 4, M}, {D / 4, M}};
        double[][] img = new double[4][];
        for (int i = 0; i < 4; i++) {
            double x = pts[i][0] * scale;
            double y = pts[i][1] * scale;
            img[i] = new double[] {cx + x * Math.cos(t) - y * Math.sin(t), cy + x * Math.sin(t) + y * Math.cos(t)};
        }
        BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, w, h);
        double r = 6 * scale;
        g.setColor(Color.RED);
        for (int i = 0; i < 2; i++) {
            g.fill(new Ellipse2D.Double(img[i][0] - r, img[i][1] - r, 2 * r, 2 * r));
        }
        g.dispose();
        FaceAlign.Landmarks lm = new FaceAlign.Landmarks(img[0], img[1], img[2], img[3]);
        BufferedImage aligned = FaceAlign.align(photo, lm, out);
        assertEquals(out, aligned.getWidth());
        double[] foundL = redCentroid(aligned, expectL, 12);
        double[] foundR = redCentroid(aligned, expectR, 12);
        assertEquals(expectL[0], foundL[0], 1.0, "left eye x");
        assertEquals(expectL[1], foundL[1], 1.0, "left eye y");
        assertEquals(expectR[0], foundR[0], 1.0, "right eye x");
        assertEquals(expectR[1], foundR[1], 1.0, "right eye y");
        // the projection the job uses agrees
        double[] p = FaceAlign.quad(lm).project(img[0], out);
        assertEquals(expectL[0], p[0], 1e-6);
        assertEquals(expectL[1], p[1], 1e-6);
    }

    /** The centre of the red pixels within {@code radius} of {@code near} (where a red dot landed). */
    public static double[] redCentroid(BufferedImage img, double[] near, int radius) {
        double sx = 0;
        double sy = 0;
        double sw = 0;
        for (int y = (int) near[1] - radius; y <= near[1] + radius; y++) {
            for (int x = (int) near[0] - radius; x <= near[0] + radius; x++) {
                if (x < 0 || y < 0 || x >= img.getWidth() || y >= img.getHeight()) {
                    continue;
                }
                int p = img.getRGB(x, y);
                double red = ((p >> 16) & 0xff) - (((p >> 8) & 0xff) + (p & 0xff)) / 2.0;
                if (red > 20) {
                    sx += x * red;
                    sy += y * red;
                    sw += red;
                }
            }
        }
        assertTrue(sw > 0, "no red found near " + near[0] + "," + near[1]);
        return new double[] {sx / sw, sy / sw};
    }
}
