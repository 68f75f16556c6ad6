package io.ukiyoe.graphs.mtcnn;

/**
 * An 8-bit RGB picture as the detector takes it: planes R, G, B (CHW), values 0..255 as floats, which
 * is what facenet-pytorch makes of a PIL image ({@code np.uint8(img)}, then NCHW float).
 */
public record RgbPlanes(int height, int width, float[] chw) {
    public RgbPlanes {
        if (height < 1 || width < 1 || chw.length != 3L * height * width) {
            throw new IllegalArgumentException("RGB planes of " + width + "x" + height + " need " + 3L * height * width
                    + " values, got " + chw.length);
        }
    }

    /** From packed {@code 0xAARRGGBB} pixels in row-major order (what {@code BufferedImage.getRGB} gives). */
    public static RgbPlanes fromArgb(int width, int height, int[] argb) {
        int n = width * height;
        if (argb.length != n) {
            throw new IllegalArgumentException(width + "x" + height + " needs " + n + " pixels, got " + argb.length);
        }
        float[] chw = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            chw[i] = (p >> 16) & 0xff;
            chw[n + i] = (p >> 8) & 0xff;
            chw[2 * n + i] = p & 0xff;
        }
        return new RgbPlanes(height, width, chw);
    }
}
