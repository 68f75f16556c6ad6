package io.ukiyoe.data.detect;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Finds faces and their five landmarks in upright RGB images. The MTCNN implementation lives in the
 * {@code graphs} module (SameDiff networks); the command line hands it to the data jobs through this
 * seam, so {@code data} keeps depending on {@code core} only.
 */
public interface FaceDetector {
    /** The faces of each image, largest first; the images all have one size (they may run as one batch). */
    List<List<DetectedFace>> detect(List<BufferedImage> images);
}
