package io.ukiyoe.data.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Procedural faces in two related domains with known geometry, for tests, the demo and blend
 * evaluation: {@code photo} (smooth shading, skin tones, mild noise, yaw around frontal) and
 * {@code ukiyoe} (flat colours, dark outlines, paper texture, muted palette, yaw biased to one side).
 * Everything about a face comes from its seed, so the same seed always renders the same image.
 */
public final class SynthFace {
    /** The two domains. */
    public enum Domain { PHOTO, UKIYOE }

    /** What was rendered: the labels written to labels.csv (pixel coordinates, image-left eye first). */
    public record Face(Domain domain, double yaw, double eyeSize, int hairStyle, int hairRgb, int skinRgb, int backgroundRgb,
                       double eyeLeftX, double eyeLeftY, double eyeRightX, double eyeRightY, double mouthLeftX,
                       double mouthLeftY, double mouthRightX, double mouthRightY) {}

    /** A rendered face and its labels. */
    public record Rendered(BufferedImage image, Face face) {}

    private SynthFace() {}

    /** Seed of image {@code index} in a set drawn with {@code seed} (independent of thread count). */
    public static long imageSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static Rendered render(Domain domain, int size, long seed) {
        Random r = new Random(seed);
        boolean photo = domain == Domain.PHOTO;
        double yaw = photo ? clamp(r.nextGaussian() * 12, -40, 40) : clamp(22 + r.nextGaussian() * 12, -30, 50);
        double eyeSize = clamp(1 + r.nextGaussian() * 0.15, 0.6, 1.5);
        int hairStyle = r.nextInt(3);
        Color skin = photo ? hsb(0.05 + r.nextDouble() * 0.04, 0.25 + r.nextDouble() * 0.35, 0.55 + r.nextDouble() * 0.4)
                : hsb(0.09 + r.nextDouble() * 0.03, 0.06 + r.nextDouble() * 0.08, 0.88 + r.nextDouble() * 0.08);
        Color hair = photo ? hsb(0.06 + r.nextDouble() * 0.05, 0.3 + r.nextDouble() * 0.5, 0.1 + r.nextDouble() * 0.55)
                : hsb(0.6, 0.1, 0.08 + r.nextDouble() * 0.08);
        Color bg = photo ? hsb(r.nextDouble(), 0.15 + r.nextDouble() * 0.3, 0.45 + r.nextDouble() * 0.45)
                : hsb(0.1 + r.nextDouble() * 0.05, 0.15 + r.nextDouble() * 0.15, 0.78 + r.nextDouble() * 0.12);

        double s = size;
        double cx = s * (0.5 + r.nextGaussian() * 0.015);
        double cy = s * (0.54 + r.nextGaussian() * 0.015);
        double t = Math.toRadians(yaw);
        double faceW = s * 0.40 * (1 - 0.18 * Math.abs(Math.sin(t)));
        double faceH = s * 0.52;
        double shift = Math.sin(t) * faceW * 0.42;           // features move toward the turned side
        double eyeHalf = faceW * 0.21 * Math.cos(t);         // and come closer together
        double eyeY = cy - s * 0.06;
        double eyeR = s * 0.028 * eyeSize;
        double mouthY = cy + s * 0.14;
        double mouthHalf = faceW * 0.16 * Math.cos(t);

        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        // background
        if (photo) {
            g.setPaint(new GradientPaint(0, 0, bg.brighter(), 0, (float) s, bg.darker()));
        } else {
            g.setColor(bg);
        }
        g.fillRect(0, 0, size, size);
        float outline = (float) Math.max(1, s / 48);
        Color ink = new Color(25, 22, 20);
        // hair behind the face (long hair / bun)
        g.setColor(hair);
        if (hairStyle == 1) {
            g.fill(new Ellipse2D.Double(cx - faceW * 0.62 + shift * 0.3, cy - faceH * 0.62, faceW * 1.24, faceH * 1.25));
        } else if (hairStyle == 2) {
            g.fill(new Ellipse2D.Double(cx - faceW * 0.28 + shift * 0.2, cy - faceH * 0.86, faceW * 0.56, faceH * 0.34));
        }
        // face
        Ellipse2D faceShape = new Ellipse2D.Double(cx - faceW / 2 + shift * 0.15, cy - faceH / 2, faceW, faceH);
        if (photo) {
            g.setPaint(new RadialGradientPaint((float) (cx + shift * 0.6), (float) (cy - faceH * 0.1),
                    (float) (faceW * 0.75), new float[] {0f, 1f}, new Color[] {skin.brighter(), skin.darker()}));
        } else {
            g.setColor(skin);
        }
        g.fill(faceShape);
        if (!photo) {
            g.setColor(ink);
            g.setStroke(new BasicStroke(outline));
            g.draw(faceShape);
        }
        // hair on top (cap)
        g.setColor(hair);
        Path2D cap = new Path2D.Double();
        cap.append(new Ellipse2D.Double(cx - faceW * 0.55 + shift * 0.15, cy - faceH * 0.62, faceW * 1.1, faceH * 0.42), false);
        g.fill(cap);
        if (!photo) {
            g.setColor(ink);
            g.draw(cap);
        }
        // eyes
        double exL = cx + shift - eyeHalf;
        double exR = cx + shift + eyeHalf;
        for (double ex : new double[] {exL, exR}) {
            if (photo) {
                g.setColor(new Color(240, 240, 235));
                g.fill(new Ellipse2D.Double(ex - eyeR * 1.5, eyeY - eyeR * 0.8, eyeR * 3, eyeR * 1.6));
                g.setColor(new Color(60, 40, 25));
                g.fill(new Ellipse2D.Double(ex - eyeR * 0.7, eyeY - eyeR * 0.7, eyeR * 1.4, eyeR * 1.4));
            } else {
                g.setColor(ink);
                g.setStroke(new BasicStroke(outline));
                Path2D slit = new Path2D.Double();
                slit.moveTo(ex - eyeR * 1.6, eyeY + eyeR * 0.2);
                slit.quadTo(ex, eyeY - eyeR * 0.7, ex + eyeR * 1.6, eyeY + eyeR * 0.2);
                g.draw(slit);
                g.fill(new Ellipse2D.Double(ex - eyeR * 0.35, eyeY - eyeR * 0.3, eyeR * 0.7, eyeR * 0.6));
            }
        }
        // nose
        double noseX = cx + shift * 1.1;
        if (photo) {
            g.setColor(new Color(0, 0, 0, 40));
            g.fill(new Ellipse2D.Double(noseX - s * 0.02, cy + s * 0.02, s * 0.04, s * 0.05));
        } else {
            g.setColor(ink);
            Path2D nose = new Path2D.Double();
            nose.moveTo(noseX, eyeY + s * 0.03);
            nose.lineTo(noseX + Math.signum(yaw + 1e-9) * s * 0.02, cy + s * 0.06);
            g.draw(nose);
        }
        // mouth
        g.setColor(photo ? new Color(170, 70, 70) : new Color(190, 40, 40));
        g.fill(new Ellipse2D.Double(cx + shift - mouthHalf, mouthY - s * 0.012, mouthHalf * 2, s * 0.024 * (photo ? 1.4 : 1)));
        g.dispose();
        texture(img, r, photo);
        Face face = new Face(domain, yaw, eyeSize, hairStyle, hair.getRGB() & 0xffffff, skin.getRGB() & 0xffffff,
                bg.getRGB() & 0xffffff, exL, eyeY, exR, eyeY, cx + shift - mouthHalf, mouthY, cx + shift + mouthHalf, mouthY);
        return new Rendered(img, face);
    }

    /** photo: mild Gaussian sensor noise; ukiyoe: paper grain and faint horizontal fibres. */
    private static void texture(BufferedImage img, Random r, boolean photo) {
        int w = img.getWidth();
        int h = img.getHeight();
        double[] fibre = new double[h];
        for (int y = 0; y < h; y++) {
            fibre[y] = photo ? 0 : r.nextGaussian() * 3;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                double n = photo ? r.nextGaussian() * 4 : r.nextGaussian() * 5 + fibre[y];
                int red = clamp8(((p >> 16) & 0xff) + n);
                int green = clamp8(((p >> 8) & 0xff) + n);
                int blue = clamp8((p & 0xff) + n * (photo ? 1 : 0.7));
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
    }

    private static int clamp8(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static Color hsb(double h, double s, double b) {
        return Color.getHSBColor((float) h, (float) clamp(s, 0, 1), (float) clamp(b, 0, 1));
    }
}
