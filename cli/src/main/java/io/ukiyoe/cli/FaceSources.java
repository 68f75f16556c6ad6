package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.LandmarkFiles;
import io.ukiyoe.data.detect.DetectJob;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command's faces come from: {@code --landmarks PATH --format FMT}, or MTCNN with {@code --detect DIR}. */
final class FaceSources {
    private FaceSources() {}

    /** The faces of {@code command} ('data align', 'translate'); exactly one of landmarks and detect is given. */
    static AlignJob.FaceSource of(String command, Path landmarks, String format, Path detect) {
        if ((landmarks == null) == (detect == null)) {
            throw new UserError(command + ": give --landmarks PATH --format FMT, or --detect DIR", 2, null);
        }
        if (detect != null) {
            return DetectJob.faceSource(MtcnnFaces.load(detect, DataCommand.DetectCmd.MIN_FACE,
                    DataCommand.DetectCmd.THRESHOLDS, DataCommand.DetectCmd.FACTOR));
        }
        if (format == null) {
            throw new UserError(command + ": --landmarks needs --format (rekognition | dlib68 | five-point)", 2, null);
        }
        LandmarkFiles.Format f = LandmarkFiles.parseFormat(format);
        if (!Files.exists(landmarks)) {
            throw new UserError(landmarks + ": no such file or folder");
        }
        return AlignJob.landmarkSource(landmarks, f);
    }
}
