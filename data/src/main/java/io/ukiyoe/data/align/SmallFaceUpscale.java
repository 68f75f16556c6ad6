package io.ukiyoe.data.align;

import io.ukiyoe.core.image.Upscaler;
import io.ukiyoe.data.upscale.UpscaleJob;
import java.awt.image.BufferedImage;

/**
 * The seed's step for faces too small for the output: the region around the face (its FFHQ square plus a
 * generous margin, so the recipe's crop border and the network's own border effects stay outside what the
 * alignment samples) is upscaled with a super-resolution network, and the landmarks are carried into the
 * upscaled crop; the FFHQ alignment then resamples from it instead of from the original pixels.
 */
final class SmallFaceUpscale {
    /** Margin around the square, as a fraction of its side (the recipe's crop border is 0.1), plus a few pixels. */
    static final double MARGIN = 0.5;
    static final int MARGIN_PX = 4;

    private SmallFaceUpscale() {}

    /** The upscaled crop and the face's landmarks in its pixel coordinates. */
    record Result(BufferedImage image, FaceAlign.Landmarks landmarks) {}

    static Result upscale(BufferedImage img, FaceAlign.Landmarks lm, FaceAlign.Quad q, Upscaler upscaler) {
        double[] box = FaceAlign.bounds(FaceAlign.corners(q));
        int margin = (int) Math.ceil(q.size() * MARGIN) + MARGIN_PX;
        int x0 = Math.max(0, (int) Math.floor(box[0]) - margin);
        int y0 = Math.max(0, (int) Math.floor(box[1]) - margin);
        int x1 = Math.min(img.getWidth(), (int) Math.ceil(box[2]) + margin);
        int y1 = Math.min(img.getHeight(), (int) Math.ceil(box[3]) + margin);
        if (x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException("face square lies outside the image");
        }
        BufferedImage crop = img.getSubimage(x0, y0, x1 - x0, y1 - y0);
        BufferedImage up = UpscaleJob.upscale(upscaler, crop);
        int s = upscaler.scale();
        return new Result(up, new FaceAlign.Landmarks(moved(lm.eyeLeft(), x0, y0, s), moved(lm.eyeRight(), x0, y0, s),
                moved(lm.mouthLeft(), x0, y0, s), moved(lm.mouthRight(), x0, y0, s)));
    }

    /**
     * A point in the crop's upscaled pixel coordinates. Pixel centres sit at integer coordinates (as in
     * {@link FaceAlign}), and a nearest-style x s upscale spreads pixel i over s * i .. s * i + s - 1, whose
     * centre is s * i + (s - 1) / 2.
     */
    static double[] moved(double[] p, int x0, int y0, int s) {
        return new double[] {(p[0] - x0) * s + (s - 1) / 2.0, (p[1] - y0) * s + (s - 1) / 2.0};
    }
}
