package io.ukiyoe.cli;

import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.eval.faces.Faces;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command's faces come from: {@code --landmarks PATH --format FMT}, or MTCNN with {@code --detect DIR}
 * (a mixin of 'data align' and 'translate').
 */
final class FaceSources {
    @Option(names = "--landmarks", paramLabel = "PATH",
            description = "A folder of per-image files (named after the image) or one file keyed by image file name "
                    + "(e.g. the landmarks.json of 'data detect', with --format five-point).")
    Path landmarks;

    @Option(names = "--format", paramLabel = "FMT", description = "rekognition | dlib68 | five-point (with --landmarks).")
    String format;

    @Option(names = "--detect", paramLabel = "DIR",
            description = "Find the faces with MTCNN instead: the folder with facenet-pytorch's pnet.pt, rnet.pt, onet.pt "
                    + "(or the file 'ukiyoe import' makes of it).")
    Path detect;

    /** Whether any of the options was given. */
    boolean given() {
        return Faces.given(landmarks, format, detect);
    }

    /** The faces of {@code command} ('data align', 'translate'); exactly one of landmarks and detect is given. */
    AlignJob.FaceSource source(String command) {
        return Faces.source(command, landmarks, format, detect);
    }
}
