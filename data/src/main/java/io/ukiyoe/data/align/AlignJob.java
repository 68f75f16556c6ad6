package io.ukiyoe.data.align;

import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.data.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * {@code data align}: every face of every image, aligned the FFHQ way; faces that are too small or
 * mostly outside the frame, images without landmarks and unreadable files are skipped with the
 * reason in {@code align-report.csv}.
 */
public final class AlignJob {
    public static final String REPORT = "align-report.csv";
    /** A face whose square is smaller than this fraction of the output is too small to use. */
    static final double MIN_QUAD_FRACTION = 0.25;
    /** A face whose square lies less than this much inside the image is mostly outside it. */
    static final double MIN_INSIDE = 0.5;

    private AlignJob() {}

    public record Summary(int images, int aligned, int skipped) {}

    /** Where each image's faces come from: a landmark file, or a face detector run on the image. */
    public interface FaceSource {
        /** The faces of an image, or null when the source has nothing for it. */
        List<FaceAlign.Landmarks> faces(String name, BufferedImage img);

        /** Why an image with an empty face list is skipped. */
        default String noFacesReason() {
            return "no faces";
        }
    }

    /** Aligns from a landmark file or folder in one of the {@link LandmarkFiles} formats. */
    public static Summary run(Path images, Path landmarks, LandmarkFiles.Format format, int size, Path out,
                              IntConsumer progress) throws IOException {
        return run(images, landmarkSource(landmarks, format), size, out, progress);
    }

    /** Faces from a landmark file or folder in one of the {@link LandmarkFiles} formats. */
    public static FaceSource landmarkSource(Path landmarks, LandmarkFiles.Format format) {
        return (name, img) -> LandmarkFiles.forImage(landmarks, name, img.getWidth(), img.getHeight(), format);
    }

    public static Summary run(Path images, FaceSource source, int size, Path out, IntConsumer progress) throws IOException {
        Files.createDirectories(out);
        StringBuilder report = new StringBuilder("image,face,status,output,reason\n");
        int aligned = 0;
        int skipped = 0;
        try (ImageSource src = ImageSource.open(images)) {
            if (src.names().isEmpty()) {
                throw new io.ukiyoe.core.UserError(images + ": no images (.png, .jpg, .jpeg) found");
            }
            List<String> names = src.names();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                BufferedImage img = Decoder.decode(src.bytes(name));
                if (img == null) {
                    report.append(csv(name, "", "skipped", "", "not a readable image"));
                    skipped++;
                    progress.accept(i + 1);
                    continue;
                }
                List<FaceAlign.Landmarks> faces = source.faces(name, img);
                if (faces == null || faces.isEmpty()) {
                    report.append(csv(name, "", "skipped", "", faces == null ? "no landmarks for this image"
                            : source.noFacesReason()));
                    skipped++;
                    progress.accept(i + 1);
                    continue;
                }
                String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
                for (int f = 0; f < faces.size(); f++) {
                    FaceAlign.Quad q = FaceAlign.quad(faces.get(f).imageLeftFirst());
                    String reason = null;
                    if (q.size() < size * MIN_QUAD_FRACTION) {
                        reason = String.format("face too small (%.0f px square for a %d px output)", q.size(), size);
                    } else if (FaceAlign.insideFraction(q, img.getWidth(), img.getHeight()) < MIN_INSIDE) {
                        reason = "face mostly outside the frame";
                    }
                    if (reason != null) {
                        report.append(csv(name, Integer.toString(f), "skipped", "", reason));
                        skipped++;
                        continue;
                    }
                    String outName = (faces.size() == 1 ? stem : stem + "_" + f).replace('/', '_') + ".png";
                    Images.writePng(out.resolve(outName), FaceAlign.align(img, faces.get(f), size));
                    report.append(csv(name, Integer.toString(f), "ok", outName, ""));
                    aligned++;
                }
                progress.accept(i + 1);
            }
            AtomicFiles.writeString(out.resolve(REPORT), report.toString());
            return new Summary(src.names().size(), aligned, skipped);
        }
    }

    private static String csv(String image, String face, String status, String output, String reason) {
        return String.join(",", quote(image), face, status, quote(output), quote(reason)) + "\n";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
