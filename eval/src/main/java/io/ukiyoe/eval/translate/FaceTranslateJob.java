package io.ukiyoe.eval.translate;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.FaceAlign;
import io.ukiyoe.graphs.nn.Ops;
import io.ukiyoe.graphs.translate.Translator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        StringBuilder report = new StringBuilder("image,face,status,output,reason\n");
        Map<String, String> without = new LinkedHashMap<>();
        List<BufferedImage> cells = new ArrayList<>();
        int translated = 0;
        int skipped = 0;
        int count;
        try (ImageSource src = ImageSource.open(images)) {
            List<String> names = src.names();
            count = names.size();
            if (names.isEmpty()) {
                throw new UserError(images + ": no images (.png, .jpg, .jpeg) found");
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                BufferedImage img = Decoder.decode(src.bytes(name));
                List<FaceAlign.Landmarks> faces = img == null ? null : source.faces(name, img);
                String none = img == null ? "not a readable image" : AlignJob.whyNoFaces(source, faces);
                if (none != null) {
                    report.append(AlignJob.csvLine(name, "", "skipped", "", none));
                    without.put(name, none);
                    progress.accept(i + 1);
                    continue;
                }
                String stem = (name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name).replace('/', '_');
                for (AlignJob.Face face : AlignJob.alignFaces(img, faces, o.faceSize(), null)) {
                    String f = Integer.toString(face.index());
                    if (face.aligned() == null) {
                        report.append(AlignJob.csvLine(name, f, "skipped", "", face.skipReason()));
                        skipped++;
                        continue;
                    }
                    String outName = stem + "_" + f + ".png";
                    BufferedImage result = translate(t, face.aligned(), o.faceSize());
                    write(o.out().resolve(outName), result);
                    report.append(AlignJob.csvLine(name, f, "ok", outName, ""));
                    translated++;
                    if (o.grid() != null) {
                        cells.add(Images.toImage(Nd4j.create(Resample.toSquare(img, o.faceSize(), Resample.Fit.PAD),
                                new long[] {3, o.faceSize(), o.faceSize()})));
                        cells.add(face.aligned());
                        cells.add(result);
                    }
                }
                progress.accept(i + 1);
            }
        }
        try {
            AtomicFiles.writeString(o.out().resolve(REPORT), report.toString());
        } catch (IOException e) {
            throw new UserError(o.out().resolve(REPORT) + ": cannot write (" + e.getMessage() + ")");
        }
        if (o.grid() != null && !cells.isEmpty()) {     // no face anywhere: nothing to draw (the report says why)
            write(o.grid(), Images.grid(cells, 3, List.of("input", "aligned", "translated")));
        }
        return new Summary(count, translated, skipped, without);
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
        INDArray x = Ops.array(new Tensor(new long[] {1, 3, size, size}, Resample.toSquare(face, size, Resample.Fit.CROP)));
        INDArray y = t.translate(x).get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        return Images.toImage(y.size(0) == 1 ? Nd4j.concat(0, y, y, y) : y);
    }
}
