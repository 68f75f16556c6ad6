package io.ukiyoe.data.detect;

import io.ukiyoe.data.align.FaceAlign;

/**
 * One detected face in pixel coordinates of the upright image (after EXIF orientation; x = column,
 * y = row): box {@code [x1, y1, x2, y2]}, the detector's face probability and five points in the order
 * left eye, right eye, nose, left mouth corner, right mouth corner (left/right as seen in the image).
 */
public record DetectedFace(double[] box, double probability, double[][] points) {
    public DetectedFace {
        if (box.length != 4 || points.length != 5) {
            throw new IllegalArgumentException("a face needs a 4-number box and 5 points");
        }
    }

    /** The four points FFHQ alignment uses. */
    public FaceAlign.Landmarks landmarks() {
        return new FaceAlign.Landmarks(points[0], points[1], points[3], points[4]).imageLeftFirst();
    }
}
