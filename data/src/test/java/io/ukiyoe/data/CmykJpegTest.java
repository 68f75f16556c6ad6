package io.ukiyoe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Print-shop scans come as 4-channel JPEGs: Adobe CMYK (transform 0, stored inverted) and YCCK
 * (transform 2). Written here from ink planes (cyan | yellow), decoded through {@link Decoder} (TwelveMonkeys'
 * reader is registered first) to the right RGB.
 */
class CmykJpegTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void fourChannelJpegDecodesToRgb(int adobeTransform) throws Exception {
        int w = 32;
        int h = 16;
        WritableRaster r = Raster.createBandedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean left = x < w / 2;
                int c = left ? 255 : 0;        // ink amounts: cyan on the left, yellow on the right, no black
                int ye = left ? 0 : 255;
                r.setPixel(x, y, adobeTransform == 0 ? new int[] {255 - c, 255, 255 - ye, 255} : ycck(c, 0, ye, 255));
            }
        }
        BufferedImage img = Decoder.decode(withAdobeMarker(writeRaster(r), adobeTransform));
        assertNotNull(img, "a 4-channel JPEG decodes");
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        int[] a = rgb(img.getRGB(4, 8));
        int[] b = rgb(img.getRGB(w - 5, 8));
        String got = Arrays.toString(a) + " | " + Arrays.toString(b);
        assertTrue(a[2] > a[0] + 100 && a[1] > a[0] + 100, "cyan on the left: " + got);
        assertTrue(b[0] > b[2] + 100 && b[1] > b[2] + 100, "yellow on the right: " + got);
    }

    /** Adobe YCCK: the C, M, Y ink planes through the JFIF RGB -> YCbCr transform, K as stored. */
    private static int[] ycck(int c, int m, int y, int k) {
        double yy = 0.299 * c + 0.587 * m + 0.114 * y;
        double cb = 128 - 0.168736 * c - 0.331264 * m + 0.5 * y;
        double cr = 128 + 0.5 * c - 0.418688 * m - 0.081312 * y;
        return new int[] {clamp(yy), clamp(cb), clamp(cr), k};
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** APP14 "Adobe" with the given colour transform, right after SOI, as print workflows write it. */
    private static byte[] withAdobeMarker(byte[] jpeg, int transform) {
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        byte[] out = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }

    private static int[] rgb(int p) {
        return new int[] {(p >> 16) & 255, (p >> 8) & 255, p & 255};
    }

    /** A 4-component JPEG from a raster, channels as given (no colour conversion, no Adobe marker yet). */
    private static byte[] writeRaster(Raster r) throws Exception {
        ImageWriter writer = null;
        for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext() && writer == null; ) {
            ImageWriter cand = it.next();
            if (cand.canWriteRasters()) {
                writer = cand;
            }
        }
        assertNotNull(writer, "a JPEG writer for rasters");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            writer.write(null, new IIOImage(r, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
