package io.ukiyoe.graphs.mtcnn;

/**
 * facenet-pytorch's {@code imresample}: {@code F.interpolate(mode='area')}, i.e. adaptive average
 * pooling. Output cell (i, j) is the mean of input rows {@code floor(i*H/h) .. ceil((i+1)*H/h)-1} and
 * the matching columns (bins may overlap; works both ways), summed in float32 and divided by the
 * bin height, then by its width, as torch does. Every network input is then normalised to
 * {@code (v - 127.5) * 0.0078125}. The pyramid levels and the 24x24 / 48x48 crops all come from here.
 */
public final class AreaResample {
    private AreaResample() {}

    /**
     * Resamples rows {@code [y0, y1)} and columns {@code [x0, x1)} of an image to {@code outH x outW},
     * normalised, into {@code dst} at {@code offset} (CHW, 3 channels).
     */
    public static void cropTo(RgbPlanes img, int y0, int y1, int x0, int x1, int outH, int outW, float[] dst, int offset) {
        int inH = y1 - y0;
        int inW = x1 - x0;
        if (y0 < 0 || x0 < 0 || y1 > img.height() || x1 > img.width() || inH < 1 || inW < 1) {
            throw new IllegalArgumentException("crop rows " + y0 + ".." + y1 + ", columns " + x0 + ".." + x1
                    + " is not inside a " + img.width() + "x" + img.height() + " image");
        }
        int plane = img.height() * img.width();
        int[] rs = new int[outH];
        int[] re = new int[outH];
        int[] cs = new int[outW];
        int[] ce = new int[outW];
        bins(inH, outH, rs, re);
        bins(inW, outW, cs, ce);
        float[] src = img.chw();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < outH; i++) {
                int kh = re[i] - rs[i];
                for (int j = 0; j < outW; j++) {
                    int kw = ce[j] - cs[j];
                    float sum = 0f;
                    for (int r = rs[i]; r < re[i]; r++) {
                        int row = c * plane + (y0 + r) * img.width() + x0;
                        for (int q = cs[j]; q < ce[j]; q++) {
                            sum += src[row + q];
                        }
                    }
                    float mean = sum / kh / kw;
                    dst[offset + (c * outH + i) * outW + j] = (mean - 127.5f) * 0.0078125f;
                }
            }
        }
    }

    /** torch's adaptive-pool bins of {@code in} cells into {@code out}: [start, end) per output cell. */
    private static void bins(int in, int out, int[] start, int[] end) {
        for (int i = 0; i < out; i++) {
            start[i] = (int) ((long) i * in / out);
            end[i] = (int) (((long) (i + 1) * in + out - 1) / out);
        }
    }
}
