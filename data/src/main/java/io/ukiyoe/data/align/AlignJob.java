package io.ukiyoe.data.align;

import io.ukiyoe.core.image.Upscaler;
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
 * reason in {@code align-report.csv}. With {@link Upscaling}, faces whose square is smaller than a threshold
 * are upscaled with a super-resolution network before the resampling (the report says which).
 */
public final class AlignJob {
    public static final String REPORT = "align-report.csv";
    /** A face whose square is smaller than this fraction of the output is too small to use. */
    static final double MIN_QUAD_FRACTION = 0.25;
    /** A face whose square lies less than this much inside the image is mostly outside it. */
    static final double MIN_INSIDE = 0.5;

    private AlignJob() {}

    /** Counts; {@code upscaled} of the aligned faces went through the upscaler first. */
    public record Summary(int images, int aligned, int skipped, int upscaled) {}

    /**
     * Upscale the crop of every face whose FFHQ square is smaller than {@code belowPx} source pixels.
     *
     * @param belowPx   side of the face square below which a face is upscaled
     * @param upscaler  the network (e.g. ESRGAN x4), tiled as the caller likes
     */
    public record Upscaling(int belowPx, Upscaler upscaler) {}

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
        return run(images, landmarkSource(landmarks, format), size, out, null, progress);
    }

    /** As {@link #run(Path, Path, LandmarkFiles.Format, int, Path, IntConsumer)}, upscaling small faces when {@code upscaling} is given. */
    public static Summary run(Path images, Path landmarks, LandmarkFiles.Format format, int size, Path out,
                              Upscaling upscaling, IntConsumer progress) throws IOException {
        return run(images, landmarkSource(landmarks, format), size, out, upscaling, progress);
    }

    /** Faces from a landmark file or folder in one of the {@link LandmarkFiles} formats. */
    public static FaceSource landmarkSource(Path landmarks, LandmarkFiles.Format format) {
        return (name, img) -> LandmarkFiles.forImage(landmarks, name, img.getWidth(), img.getHeight(), format);
    }

    public static Summary run(Path images, FaceSource source, int size, Path out, IntConsumer progress) throws IOException {
        return run(images, source, size, out, null, progress);
    }

    /** Aligns every face the source gives, upscaling small faces first when {@code upscaling} is given. */
    public static Summary run(Path images, FaceSource source, int size, Path out, Upscaling upscaling,
                              IntConsumer progress) throws IOException {
        Files.createDirectories(out);
        StringBuilder report = new StringBuilder("image,face,status,output,reason,upscaled\n");
        int upscaled = 0;
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
                    report.append(csv(name, "", "skipped", "", "not a readable image", false));
                    skipped++;
                    progress.accept(i + 1);
                    continue;
                }
                List<FaceAlign.Landmarks> faces = source.faces(name, img);
                String none = whyNoFaces(source, faces);
                if (none != null) {
                    report.append(csv(name, "", "skipped", "", none, false));
                    skipped++;
                    progress.accept(i + 1);
                    continue;
                }
                String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
                for (Face face : alignFaces(img, faces, size, upscaling)) {
                    String f = Integer.toString(face.index());
                    if (face.aligned() == null) {
                        report.append(csv(name, f, "skipped", "", face.skipReason(), false));
                        skipped++;
                        continue;
                    }
                    String outName = (faces.size() == 1 ? stem : stem + "_" + f).replace('/', '_') + ".png";
                    Images.writePng(out.resolve(outName), face.aligned());
                    report.append(csv(name, f, "ok", outName, "", face.upscaled()));
                    aligned++;
                    upscaled += face.upscaled() ? 1 : 0;
                }
                progress.accept(i + 1);
            }
            AtomicFiles.writeString(out.resolve(REPORT), report.toString());
            return new Summary(src.names().size(), aligned, skipped, upscaled);
        }
    }

    /** Why an image gives no face to align (no landmarks, or none found), or null when it has faces. */
    public static String whyNoFaces(FaceSource source, List<FaceAlign.Landmarks> faces) {
        return faces == null ? "no landmarks for this image" : faces.isEmpty() ? source.noFacesReason() : null;
    }

    /**
     * One face of an image: its index in the source's list, and the aligned picture, or null with the
     * reason it was skipped; {@code upscaled} when it went through the upscaler first.
     */
    public record Face(int index, BufferedImage aligned, String skipReason, boolean upscaled) {}

    /**
     * Every face of an image aligned the FFHQ way at {@code size} px; faces mostly outside the frame or
     * too small for the output are skipped with the reason (small ones upscaled first when
     * {@code upscaling} is given).
     */
    public static List<Face> alignFaces(BufferedImage img, List<FaceAlign.Landmarks> faces, int size, Upscaling upscaling) {
        List<Face> out = new java.util.ArrayList<>();
        for (int f = 0; f < faces.size(); f++) {
            FaceAlign.Landmarks lm = faces.get(f).imageLeftFirst();
            FaceAlign.Quad q = FaceAlign.quad(lm);
            boolean upscale = upscaling != null && q.size() < upscaling.belowPx();
            double effective = upscale ? q.size() * upscaling.upscaler().scale() : q.size();
            if (FaceAlign.insideFraction(q, img.getWidth(), img.getHeight()) < MIN_INSIDE) {
                out.add(new Face(f, null, "face mostly outside the frame", false));
            } else if (effective < size * MIN_QUAD_FRACTION) {
                out.add(new Face(f, null, String.format("face too small (%.0f px square%s for a %d px output)", q.size(),
                        upscale ? String.format(", %.0f px upscaled", effective) : "", size), false));
            } else if (upscale) {
                SmallFaceUpscale.Result r = SmallFaceUpscale.upscale(img, lm, q, upscaling.upscaler());
                out.add(new Face(f, FaceAlign.align(r.image(), r.landmarks(), size), null, true));
            } else {
                out.add(new Face(f, FaceAlign.align(img, lm, size), null, false));
            }
        }
        return out;
    }

    private static String csv(String image, String face, String status, String output, String reason, boolean upscaled) {
        return csvLine(image, face, status, output, reason, upscaled ? "yes" : "no");
    }

    /** One CSV row (fields with commas or quotes quoted), ending in a newline; the reports of face jobs use it. */
    public static String csvLine(String... fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            String s = fields[i];
            b.append(i == 0 ? "" : ",").append(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        return b.append('\n').toString();
    }
}
