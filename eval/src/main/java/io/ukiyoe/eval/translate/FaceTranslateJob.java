package io.ukiyoe.eval.translate;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.PhotoFaces;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.translate.Translator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ukiyoe translate --images PHOTOS --landmarks FILE | --detect DIR}: every face of every photo is
 * aligned the FFHQ way first (the faces and the alignment of {@code data align}), then translated by the
 * student; {@code <photo>_<face>.png} per face, {@code translate-report.csv} with a row per face and per
 * photo without one (the reason: no landmarks, no face detected, too small, unreadable...), and
 * optionally a grid of input | aligned | translated, one row per face.
 */
public final class FaceTranslateJob {
    public static final String REPORT = "translate-report.csv";

    private FaceTranslateJob() {}

    /**
     * @param out      folder for the translated faces and the report
     * @param faceSize side of the aligned faces the student sees (a multiple of its size multiple)
     * @param grid     PNG of input | aligned | translated per face, or null
     */
    public record Options(Path out, int faceSize, Path grid) {}

    /** Photos read, faces translated, faces skipped, and each photo that gave no face with the reason. */
    public record Summary(int images, int translated, int skippedFaces, Map<String, String> withoutFaces) {}

    public static Summary run(Translator t, Path images, AlignJob.FaceSource source, Options o, IntConsumer progress) {
        if (o.faceSize() < 1 || o.faceSize() % t.sizeMultiple() != 0) {
            throw new UserError("--face-size: " + o.faceSize() + " is not a positive multiple of " + t.sizeMultiple()
                    + " (the network's downsampling needs it)", 2, null);
        }
        if (t.inputChannels() != 3) {
            throw new UserError("the network takes " + t.inputChannels() + " channels: faces are RGB");
        }
        if (!Files.exists(images)) {
            throw new UserError(images + ": no such folder");
        }
        TranslateJob.prepareOutput(t, o.out());
        List<BufferedImage> cells = new ArrayList<>();
        PhotoFaces.Summary s = PhotoFaces.run(images, source, o.faceSize(), face -> {
            String outName = face.name() + ".png";
            BufferedImage result = translate(t, face.aligned(), o.faceSize());
            write(o.out().resolve(outName), result);
            if (o.grid() != null) {
                cells.add(PhotoFaces.thumbnail(face.image(), o.faceSize()));
                cells.add(face.aligned());
                cells.add(result);
            }
            return outName;
        }, (done, total) -> progress.accept(done));
        try {
            AtomicFiles.writeString(o.out().resolve(REPORT), s.report());
        } catch (IOException e) {
            throw new UserError(o.out().resolve(REPORT) + ": cannot write (" + e.getMessage() + ")");
        }
        if (o.grid() != null && !cells.isEmpty()) {     // no face anywhere: nothing to draw (the report says why)
            write(o.grid(), Images.grid(cells, 3, List.of("input", "aligned", "translated")));
        }
        return new Summary(s.images(), s.handled(), s.skippedFaces(), s.withoutFaces());
    }

    private static void write(Path file, BufferedImage img) {
        try {
            Images.writePng(file, img);
        } catch (IOException e) {
            throw new UserError(file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /** One aligned face through the network, as an RGB picture (a one-channel output is shown grey). */
    static BufferedImage translate(Translator t, BufferedImage face, int size) {
        return translate(t, PhotoFaces.input(face, size));
    }

    /** An image [1, 3, S, S] in [-1, 1] through the network, as an RGB picture (a one-channel output is shown grey). */
    public static BufferedImage translate(Translator t, INDArray x) {
        return Images.toImage(t.firstAsRgb(x));
    }
}
