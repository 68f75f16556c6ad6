package io.ukiyoe.data.detect;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.FaceAlign;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code data detect}: the faces of every image of a folder, written as one landmarks file keyed by
 * image file name, {@code {"photo.jpg": [{"box": [x1, y1, x2, y2], "probability": p, "points":
 * [[x, y] x 5]}, ...]}} (largest face first; coordinates in pixels of the image after its EXIF
 * orientation is applied), which {@code data align --format five-point} reads. Images with no face
 * get an empty list and are reported with the reason, as are files that are not readable images.
 */
public final class DetectJob {
    /** Consecutive images of one size go to the detector together, up to this many. */
    static final int BATCH = 8;

    private DetectJob() {}

    /** What happened: images read, faces found, and each image without a face with the reason. */
    public record Summary(int images, int faces, Map<String, String> withoutFaces) {}

    public static Summary run(Path images, FaceDetector detector, Path out, Path grid, IntConsumer progress)
            throws IOException {
        Map<String, List<DetectedFace>> found = new LinkedHashMap<>();
        Map<String, String> without = new LinkedHashMap<>();
        List<BufferedImage> thumbs = new ArrayList<>();
        try (ImageSource src = ImageSource.open(images)) {
            List<String> names = src.names();
            if (names.isEmpty()) {
                throw new UserError(images + ": no images (.png, .jpg, .jpeg) found");
            }
            List<String> batchNames = new ArrayList<>();
            List<BufferedImage> batch = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                BufferedImage img = Decoder.decode(src.bytes(names.get(i)));
                if (img == null) {
                    without.put(names.get(i), "not a readable image");
                    found.put(names.get(i), List.of());
                } else {
                    if (!batch.isEmpty() && (batch.size() == BATCH || img.getWidth() != batch.get(0).getWidth()
                            || img.getHeight() != batch.get(0).getHeight())) {
                        flush(detector, batchNames, batch, found, without, grid != null ? thumbs : null);
                    }
                    batchNames.add(names.get(i));
                    batch.add(img);
                    found.put(names.get(i), null);       // keeps the folder's order; filled by flush
                }
                progress.accept(i + 1);
            }
            flush(detector, batchNames, batch, found, without, grid != null ? thumbs : null);
        }
        AtomicFiles.writeString(out, toJson(found));
        if (grid != null && !thumbs.isEmpty()) {      // no readable image: nothing to draw
            Images.writePng(grid, Images.grid(thumbs, Math.min(4, thumbs.size()), null));
        }
        int faces = found.values().stream().mapToInt(List::size).sum();
        return new Summary(found.size(), faces, without);
    }

    private static void flush(FaceDetector detector, List<String> names, List<BufferedImage> batch,
                              Map<String, List<DetectedFace>> found, Map<String, String> without,
                              List<BufferedImage> thumbs) {
        if (batch.isEmpty()) {
            return;
        }
        List<List<DetectedFace>> faces = detector.detect(batch);
        for (int k = 0; k < batch.size(); k++) {
            found.put(names.get(k), faces.get(k));
            if (faces.get(k).isEmpty()) {
                without.put(names.get(k), "no face detected");
            }
            if (thumbs != null) {
                thumbs.add(DetectionGrid.thumbnail(batch.get(k), faces.get(k)));
            }
        }
        names.clear();
        batch.clear();
    }

    /** Faces for {@code data align --detect}: the detector run on each image (one at a time). */
    public static AlignJob.FaceSource faceSource(FaceDetector detector) {
        return new AlignJob.FaceSource() {
            @Override
            public List<FaceAlign.Landmarks> faces(String name, BufferedImage img) {
                return detector.detect(List.of(img)).get(0).stream().map(DetectedFace::landmarks).toList();
            }

            @Override
            public String noFacesReason() {
                return "no face detected";
            }
        };
    }

    static String toJson(Map<String, List<DetectedFace>> found) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        found.forEach((name, faces) -> {
            ArrayNode list = root.putArray(name);
            for (DetectedFace f : faces) {
                ObjectNode o = list.addObject();
                ArrayNode box = o.putArray("box");
                for (double v : f.box()) {
                    box.add(v);
                }
                o.put("probability", f.probability());
                ArrayNode pts = o.putArray("points");
                for (double[] p : f.points()) {
                    pts.addArray().add(p[0]).add(p[1]);
                }
            }
        });
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
