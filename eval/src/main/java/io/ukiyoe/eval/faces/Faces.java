package io.ukiyoe.eval.faces;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.LandmarkFiles;
import io.ukiyoe.data.detect.DetectJob;
import io.ukiyoe.graphs.mtcnn.MtcnnSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a job's faces come from: a landmarks file or folder in one of the {@link LandmarkFiles} formats,
 * or MTCNN with facenet-pytorch's weights (default settings, as {@code data detect}); what
 * {@code data align}, {@code translate} and {@code toonify} take as {@code --landmarks/--format} or
 * {@code --detect} (and {@code landmarks:} / {@code detector:} in configs).
 */
public final class Faces {
    private Faces() {}

    /** Whether any face option is set. */
    public static boolean given(Path landmarks, Object format, Path detector) {
        return landmarks != null || format != null || detector != null;
    }

    /** The faces for {@code command}; exactly one of {@code landmarks} (with {@code format}) and {@code detector} is given. */
    public static AlignJob.FaceSource source(String command, Path landmarks, String format, Path detector) {
        if ((landmarks == null) == (detector == null)) {
            throw new UserError(command + ": give --landmarks PATH --format FMT, or --detect DIR", 2, null);
        }
        if (detector != null) {
            return detected(detector);
        }
        if (format == null) {
            throw new UserError(command + ": --landmarks needs --format (rekognition | dlib68 | five-point)", 2, null);
        }
        return landmarks(landmarks, LandmarkFiles.parseFormat(format));
    }

    /** Faces MTCNN finds with the weights in {@code dir} (pnet.pt, rnet.pt, onet.pt). */
    public static AlignJob.FaceSource detected(Path dir) {
        return DetectJob.faceSource(MtcnnFaces.load(dir, MtcnnSettings.DEFAULT));
    }

    /** Faces from a landmarks file or folder; a one-line error when it does not exist. */
    public static AlignJob.FaceSource landmarks(Path landmarks, LandmarkFiles.Format format) {
        if (!Files.exists(landmarks)) {
            throw new UserError(landmarks + ": no such file or folder");
        }
        return AlignJob.landmarkSource(landmarks, format);
    }
}
