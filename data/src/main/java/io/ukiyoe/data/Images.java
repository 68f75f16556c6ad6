package io.ukiyoe.data;

import io.ukiyoe.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Generator output to pictures: NCHW float arrays in [-1, 1] to 8-bit RGB, PNG files and grids. */
public final class Images {
    private Images() {}

    /** One CHW image (3 channels) to RGB, {@code x * 127.5 + 128} clamped to [0, 255] as the references do. */
    public static BufferedImage toImage(INDArray chw) {
        long[] s = chw.shape();
        if (s.length != 3 || s[0] != 3) {
            throw new IllegalArgumentException("expected [3, H, W], got " + java.util.Arrays.toString(s));
        }
        int h = (int) s[1];
        int w = (int) s[2];
        float[] v = io.ukiyoe.core.io.NdArrays.floats(chw);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                img.setRGB(x, y, (toByte(v[i]) << 16) | (toByte(v[plane + i]) << 8) | toByte(v[2 * plane + i]));
            }
        }
        return img;
    }

    /** The uint8 value the references produce: clamp(x * 127.5 + 128, 0, 255), truncated. */
    public static int toByte(float x) {
        float y = x * 127.5f + 128f;
        return (int) Math.max(0, Math.min(255, y));
    }

    public static void writePng(Path file, BufferedImage img) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer");
            }
        }, false);
    }

    /**
     * Images in rows of {@code cols} with a 2-pixel gap; optional labels above each column
     * (null = none).
     */
    public static BufferedImage grid(List<BufferedImage> images, int cols, List<String> columnLabels) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images for the grid");
        }
        // labelled sheets of tiny models are enlarged (nearest neighbour) so the labels fit their columns
        int scale = columnLabels == null ? 1 : Math.max(1, (int) Math.ceil(96.0 / images.get(0).getWidth()));
        int w = images.get(0).getWidth() * scale;
        int h = images.get(0).getHeight() * scale;
        int gap = 2;
        int rows = (images.size() + cols - 1) / cols;
        int labelH = columnLabels == null ? 0 : 16;
        BufferedImage g = new BufferedImage(cols * (w + gap) + gap, labelH + rows * (h + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = g.createGraphics();
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, g.getWidth(), g.getHeight());
        if (columnLabels != null) {
            gr.setColor(Color.BLACK);
            gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int c = 0; c < Math.min(cols, columnLabels.size()); c++) {
                gr.drawString(columnLabels.get(c), gap + c * (w + gap) + 2, 12);
            }
        }
        for (int i = 0; i < images.size(); i++) {
            gr.drawImage(images.get(i), gap + (i % cols) * (w + gap), labelH + gap + (i / cols) * (h + gap), w, h, null);
        }
        gr.dispose();
        return g;
    }

    /** Rows of images, each row labelled on its left (e.g. a contact sheet of sweep candidates). */
    public static BufferedImage labelledRows(List<List<BufferedImage>> rows, List<String> labels) {
        int scale = Math.max(1, (int) Math.ceil(96.0 / rows.get(0).get(0).getWidth()));
        int w = rows.get(0).get(0).getWidth() * scale;
        int h = rows.get(0).get(0).getHeight() * scale;
        int gap = 2;
        int labelW = 300;
        int cols = rows.stream().mapToInt(List::size).max().orElse(1);
        BufferedImage g = new BufferedImage(labelW + cols * (w + gap) + gap, rows.size() * (h + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = g.createGraphics();
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, g.getWidth(), g.getHeight());
        gr.setColor(Color.BLACK);
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows.size(); r++) {
            int y = gap + r * (h + gap);
            String[] lines = labels.get(r).split("\n");
            for (int l = 0; l < lines.length; l++) {
                gr.drawString(lines[l], 4, y + 14 + 13 * l);
            }
            for (int c = 0; c < rows.get(r).size(); c++) {
                gr.drawImage(rows.get(r).get(c), labelW + gap + c * (w + gap), y, w, h, null);
            }
        }
        gr.dispose();
        return g;
    }
}
