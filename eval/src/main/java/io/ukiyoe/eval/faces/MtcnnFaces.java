package io.ukiyoe.eval.faces;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.detect.DetectedFace;
import io.ukiyoe.data.detect.FaceDetector;
import io.ukiyoe.graphs.mtcnn.Mtcnn;
import io.ukiyoe.graphs.mtcnn.MtcnnSettings;
import io.ukiyoe.graphs.mtcnn.MtcnnWeights;
import io.ukiyoe.graphs.mtcnn.RgbPlanes;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The MTCNN of {@code graphs} behind the {@code data} module's {@link FaceDetector} seam. */
public final class MtcnnFaces implements FaceDetector {
    private final Mtcnn mtcnn;

    public MtcnnFaces(Mtcnn mtcnn) {
        this.mtcnn = mtcnn;
    }

    /** {@code --detector DIR} with {@code --min-face}, {@code --thresholds} and {@code --factor}. */
    public static MtcnnFaces load(Path dir, int minFace, String thresholds, double factor) {
        return load(dir, settings(minFace, thresholds, factor));
    }

    /** The weights of {@code dir} (a one-line error naming the missing files) with these settings. */
    public static MtcnnFaces load(Path dir, MtcnnSettings settings) {
        return new MtcnnFaces(new Mtcnn(MtcnnWeights.load(dir), settings));
    }

    public static MtcnnSettings settings(int minFace, String thresholds, double factor) {
        String[] parts = thresholds.split(",");
        if (parts.length != 3) {
            throw new UserError("--thresholds: needs three numbers (P-Net, R-Net, O-Net), e.g. 0.6,0.7,0.7, got '"
                    + thresholds + "'", 2, null);
        }
        float[] t = new float[3];
        try {
            for (int i = 0; i < 3; i++) {
                t[i] = Float.parseFloat(parts[i].strip());
            }
            return new MtcnnSettings(minFace, t, factor);
        } catch (NumberFormatException e) {
            throw new UserError("--thresholds: not a number in '" + thresholds + "'", 2, null);
        } catch (IllegalArgumentException e) {
            throw new UserError("detector settings: " + e.getMessage(), 2, null);
        }
    }

    @Override
    public List<List<DetectedFace>> detect(List<BufferedImage> images) {
        List<RgbPlanes> planes = new ArrayList<>();
        for (BufferedImage img : images) {
            int w = img.getWidth();
            int h = img.getHeight();
            planes.add(RgbPlanes.fromArgb(w, h, img.getRGB(0, 0, w, h, null, 0, w)));
        }
        List<List<DetectedFace>> out = new ArrayList<>();
        for (List<Mtcnn.Face> faces : mtcnn.detect(planes)) {
            List<DetectedFace> list = new ArrayList<>();
            for (Mtcnn.Face f : faces) {
                double[][] pts = new double[5][];
                for (int k = 0; k < 5; k++) {
                    pts[k] = new double[] {f.points()[k][0], f.points()[k][1]};
                }
                list.add(new DetectedFace(new double[] {f.box()[0], f.box()[1], f.box()[2], f.box()[3]},
                        f.probability(), pts));
            }
            out.add(list);
        }
        return out;
    }
}
