package io.ukiyoe.data.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.image.Upscaler;
import io.ukiyoe.core.io.NdArrays;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code data align} with {@code --upscale-below}: small faces go through the upscaler, with their landmarks. */
class AlignUpscaleTest {
    @TempDir
    Path dir;

    /** Nearest-neighbour x4, counting its calls: a stand-in whose output geometry is known exactly. */
    static final class NearestX4 implements Upscaler {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public int scale() {
            return 4;
        }

        @Override
        public INDArray upscale(INDArray x) {
            calls.incrementAndGet();
            long[] s = x.shape();
            int n = (int) (s[0] * s[1]), h = (int) s[2], w = (int) s[3];
            float[] v = NdArrays.floats(x);
            float[] o = new float[v.length * 16];
            for (int i = 0; i < n; i++) {
                for (int y = 0; y < 4 * h; y++) {
                    for (int xx = 0; xx < 4 * w; xx++) {
                        o[(i * 4 * h + y) * 4 * w + xx] = v[(i * h + y / 4) * w + xx / 4];
                    }
                }
            }
            long[] os = {s[0], s[1], 4 * s[2], 4 * s[3]};
            return Nd4j.create(o, os, DataType.FLOAT).reshape('c', os);
        }
    }

    /** Eyes (red dots) at +-d/2 around (cx, cy), mouth corners at +-d/4, d * 0.8 below; returns the CSV row. */
    private static String face(Graphics2D g, String file, double cx, double cy, double d) {
        double m = 0.8 * d;
        double r = Math.max(1.5, 0.08 * d);
        g.setColor(Color.RED);
        g.fill(new Ellipse2D.Double(cx - d / 2 - r, cy - r, 2 * r, 2 * r));
        g.fill(new Ellipse2D.Double(cx + d / 2 - r, cy - r, 2 * r, 2 * r));
        return String.format(Locale.ROOT, "%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f%n", file,
                cx - d / 2, cy, cx + d / 2, cy, cx, cy + m / 2, cx - d / 4, cy + m, cx + d / 4, cy + m);
    }

    @Test
    void smallFacesAreUpscaledBeforeResamplingAndTheReportSaysWhich() throws Exception {
        int w = 320, h = 200;
        BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, w, h);
        String csv = face(g, "p.png", 70, 80, 40)      // square 160 px: kept as is
                + face(g, "p.png", 200, 60, 10)        // square 40 px: upscaled
                + face(g, "p.png", 260, 150, 3);       // square 12 px: too small without upscaling, fine with it
        g.dispose();
        Files.createDirectories(dir.resolve("in"));
        ImageIO.write(photo, "png", dir.resolve("in/p.png").toFile());
        Files.writeString(dir.resolve("lm.csv"), csv);

        int size = 64;
        AlignJob.Summary plain = AlignJob.run(dir.resolve("in"), dir.resolve("lm.csv"), LandmarkFiles.Format.FIVE_POINT,
                size, dir.resolve("plain"), i -> { });
        assertEquals(2, plain.aligned());
        assertEquals(0, plain.upscaled());

        NearestX4 up = new NearestX4();
        AlignJob.Summary s = AlignJob.run(dir.resolve("in"), dir.resolve("lm.csv"), LandmarkFiles.Format.FIVE_POINT,
                size, dir.resolve("out"), new AlignJob.Upscaling(48, up), i -> { });
        assertEquals(3, s.aligned());
        assertEquals(2, s.upscaled());
        assertEquals(2, up.calls.get(), "one upscale per small face, none for the large one");
        List<String> report = Files.readAllLines(dir.resolve("out").resolve(AlignJob.REPORT));
        assertEquals("image,face,status,output,reason,upscaled", report.get(0));
        assertEquals("p.png,0,ok,p_0.png,,no", report.get(1));
        assertEquals("p.png,1,ok,p_1.png,,yes", report.get(2));
        assertEquals("p.png,2,ok,p_2.png,,yes", report.get(3));
        assertTrue(Files.readAllLines(dir.resolve("plain").resolve(AlignJob.REPORT)).get(3)
                .startsWith("p.png,2,skipped,,face too small"));

        // the upscaled face's eyes land where the recipe puts them: the landmarks followed the crop and the 4x
        double[] expectL = {0.375 * size - 0.5, (0.5 - 0.1 * 0.8 / 4) * size - 0.5};
        double[] expectR = {0.625 * size - 0.5, expectL[1]};
        BufferedImage small = ImageIO.read(dir.resolve("out/p_1.png").toFile());
        double[] foundL = centroid(small, expectL, 6);
        double[] foundR = centroid(small, expectR, 6);
        assertEquals(expectL[0], foundL[0], 1.0, "left eye x");
        assertEquals(expectL[1], foundL[1], 1.0, "left eye y");
        assertEquals(expectR[0], foundR[0], 1.0, "right eye x");
        assertEquals(expectR[1], foundR[1], 1.0, "right eye y");
        // and where they land without the upscaler (same recipe, original pixels)
        BufferedImage direct = ImageIO.read(dir.resolve("plain/p_1.png").toFile());
        assertEquals(centroid(direct, expectL, 6)[0], foundL[0], 1.0);
        assertEquals(centroid(direct, expectR, 6)[1], foundR[1], 1.0);
    }

    @Test
    void landmarksMoveToPixelCentresOfTheUpscaledCrop() {
        // pixel 5 of the source covers 20..23 of the x4 crop; its centre is 21.5
        double[] p = SmallFaceUpscale.moved(new double[] {15, 7}, 10, 2, 4);
        assertEquals(21.5, p[0], 1e-12);
        assertEquals(21.5, p[1], 1e-12);
    }

    private static double[] centroid(BufferedImage img, double[] near, int radius) {
        return io.ukiyoe.data.AlignTest.redCentroid(img, near, radius);
    }
}
