package io.ukiyoe.graphs.mtcnn;

/**
 * The detector's knobs, defaults as facenet-pytorch's {@code MTCNN()}.
 *
 * @param minFaceSize smallest face (pixels) the image pyramid looks for; sets the first scale 12 / minFaceSize
 * @param thresholds  face-probability thresholds of P-Net, R-Net and O-Net
 * @param factor      scale step between pyramid levels
 */
public record MtcnnSettings(int minFaceSize, float[] thresholds, double factor) {
    public static final MtcnnSettings DEFAULT = new MtcnnSettings(20, new float[] {0.6f, 0.7f, 0.7f}, 0.709);

    public MtcnnSettings {
        if (minFaceSize < 1) {
            throw new IllegalArgumentException("min face size must be at least 1 px, got " + minFaceSize);
        }
        if (thresholds.length != 3) {
            throw new IllegalArgumentException("needs 3 thresholds (P-Net, R-Net, O-Net), got " + thresholds.length);
        }
        for (float t : thresholds) {
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("thresholds must be in [0, 1], got " + t);
            }
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("the pyramid factor must be in (0, 1), got " + factor);
        }
        thresholds = thresholds.clone();
    }
}
