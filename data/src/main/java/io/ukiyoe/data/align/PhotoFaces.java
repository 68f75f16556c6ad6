package io.ukiyoe.data.align;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every face of every photo of a folder, a .zip or one image file, aligned the FFHQ way, for jobs that work per face
 * ({@code translate --landmarks/--detect}, {@code toonify}): photos are decoded with their EXIF
 * orientation applied, each face the source gives is aligned or skipped with the reason, and photos
 * that give no face (no landmarks, none detected, unreadable) are listed with the reason. The job
 * decides what to make of each face; the walk keeps the report, a row per face and per photo without one.
 */
public final class PhotoFaces {
    /** The header of the report rows {@link Summary#report()} holds. */
    public static final String HEADER = "image,face,status,output,reason\n";

    private PhotoFaces() {}

    /**
     * One aligned face: the photo's file name, the face's index in the source's list, its output stem
     * ({@code <photo stem>_<index>}, folders flattened), the decoded photo and the aligned face.
     */
    public record Aligned(String photo, int index, String name, BufferedImage image, BufferedImage aligned) {}

    /** What a job makes of an aligned face; returns the output file name the report gives for it. */
    public interface Handler {
        String handle(Aligned face);
    }

    /** Photos read so far of all of them. */
    public interface Progress {
        void photos(int done, int total);
    }

    /** Photos read, faces handled, faces skipped, each photo without a face with the reason, and the report (CSV). */
    public record Summary(int images, int handled, int skippedFaces, Map<String, String> withoutFaces, String report) {}

    public static Summary run(Path images, AlignJob.FaceSource source, int size, Handler handler, Progress progress) {
        StringBuilder report = new StringBuilder(HEADER);
        Map<String, String> without = new LinkedHashMap<>();
        int handled = 0;
        int skipped = 0;
        try (ImageSource src = ImageSource.openPhotos(images)) {
            List<String> names = src.names();
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
                    progress.photos(i + 1, names.size());
                    continue;
                }
                String stem = (name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name).replace('/', '_');
                for (AlignJob.Face face : AlignJob.alignFaces(img, faces, size, null)) {
                    String f = Integer.toString(face.index());
                    if (face.aligned() == null) {
                        report.append(AlignJob.csvLine(name, f, "skipped", "", face.skipReason()));
                        skipped++;
                        continue;
                    }
                    String output = handler.handle(new Aligned(name, face.index(), stem + "_" + f, img, face.aligned()));
                    report.append(AlignJob.csvLine(name, f, "ok", output, ""));
                    handled++;
                }
                progress.photos(i + 1, names.size());
            }
            return new Summary(names.size(), handled, skipped, without, report.toString());
        }
    }

    /** An aligned face as a network's input: [1, 3, S, S] in [-1, 1] (what translators and projections take). */
    public static INDArray input(BufferedImage face, int size) {
        return Nd4j.create(Resample.toSquare(face, size, Resample.Fit.CROP), new long[] {1, 3, size, size}, DataType.FLOAT);
    }

    /** The whole photo fitted into a square of {@code size} px (padded, not cropped): the first column of face grids. */
    public static BufferedImage thumbnail(BufferedImage photo, int size) {
        return Images.toImage(Nd4j.create(Resample.toSquare(photo, size, Resample.Fit.PAD), new long[] {3, size, size}));
    }
}
