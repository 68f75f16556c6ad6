package io.ukiyoe.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;

/**
 * PNG/JPEG bytes to an 8-bit RGB image with ImageIO (no OpenCV): the JPEG EXIF orientation is
 * applied, grey becomes RGB and alpha is dropped (as PIL's convert('RGB') does).
 */
public final class Decoder {
    private Decoder() {}

    /** The decoded image, or null when the bytes are not a readable image. */
    public static BufferedImage decode(byte[] bytes) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
            return null;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        if (img.getColorModel().hasAlpha() || img.getType() != BufferedImage.TYPE_INT_RGB) {
            int[] row = new int[img.getWidth()];
            for (int y = 0; y < img.getHeight(); y++) {
                img.getRGB(0, y, img.getWidth(), 1, row, 0, img.getWidth());
                for (int x = 0; x < row.length; x++) {
                    row[x] &= 0xffffff; // drop alpha, keep colour
                }
                rgb.setRGB(0, y, img.getWidth(), 1, row, 0, img.getWidth());
            }
        } else {
            rgb = img;
        }
        return orient(rgb, exifOrientation(bytes));
    }

    /** The EXIF orientation tag (1-8) of a JPEG, 1 when absent or unreadable. */
    public static int exifOrientation(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            return 1;
        }
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xff) != 0xFF) {
                return 1;
            }
            int marker = b[pos + 1] & 0xff;
            int len = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            if (marker == 0xDA || len < 2) {
                return 1; // start of scan: no EXIF before the image data
            }
            int start = pos + 4;
            if (marker == 0xE1 && start + 14 <= b.length && b[start] == 'E' && b[start + 1] == 'x' && b[start + 2] == 'i'
                    && b[start + 3] == 'f') {
                return tiffOrientation(b, start + 6, Math.min(b.length, pos + 2 + len));
            }
            pos += 2 + len;
        }
        return 1;
    }

    private static int tiffOrientation(byte[] b, int tiff, int end) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(b, 0, end);
            bb.order(b[tiff] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            int ifd = tiff + bb.getInt(tiff + 4);
            int entries = bb.getShort(ifd) & 0xffff;
            for (int i = 0; i < entries; i++) {
                int e = ifd + 2 + i * 12;
                if ((bb.getShort(e) & 0xffff) == 0x0112) {
                    int v = bb.getShort(e + 8) & 0xffff;
                    return v >= 1 && v <= 8 ? v : 1;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return 1;
        }
        return 1;
    }

    /** Applies an EXIF orientation (1-8) so the image appears upright. */
    public static BufferedImage orient(BufferedImage img, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }          // mirrored
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // rotated 180
                    case 4 -> { sx = x; sy = h - 1 - y; }          // flipped
                    case 5 -> { sx = y; sy = x; }                  // transposed
                    case 6 -> { sx = y; sy = h - 1 - x; }          // rotated 90 clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transversed
                    default -> { sx = w - 1 - y; sy = x; }         // 8: rotated 90 counter-clockwise
                }
                out.setRGB(x, y, img.getRGB(sx, sy));
            }
        }
        return out;
    }
}
