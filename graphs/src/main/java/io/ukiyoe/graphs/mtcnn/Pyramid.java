package io.ukiyoe.graphs.mtcnn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

/** facenet-pytorch's image pyramid for P-Net: the scales, in double precision as Python computes them, and each level's input. */
public final class Pyramid {
    private Pyramid() {}

    /** Scales {@code m, m*f, m*f^2, ...} with {@code m = 12 / minFace}, while the scaled shorter side is at least 12. */
    public static List<Double> scales(int height, int width, int minFaceSize, double factor) {
        double m = 12.0 / minFaceSize;
        double minl = Math.min(height, width) * m;
        double scale = m;
        List<Double> out = new ArrayList<>();
        while (minl >= 12) {
            out.add(scale);
            scale *= factor;
            minl *= factor;
        }
        return out;
    }

    /** A level's size: {@code int(n * scale + 1)}. */
    public static int levelSize(int n, double scale) {
        return (int) (n * scale + 1);
    }

    /** The normalised P-Net input {@code [N, 3, h, w]} of one level for a batch of equally sized images. */
    public static INDArray levelInput(List<RgbPlanes> images, double scale) {
        RgbPlanes first = images.get(0);
        int h = levelSize(first.height(), scale);
        int w = levelSize(first.width(), scale);
        int per = 3 * h * w;
        float[] data = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            RgbPlanes img = images.get(i);
            AreaResample.cropTo(img, 0, img.height(), 0, img.width(), h, w, data, i * per);
        }
        return Nd4j.create(data, new long[] {images.size(), 3, h, w}, 'c');
    }
}
