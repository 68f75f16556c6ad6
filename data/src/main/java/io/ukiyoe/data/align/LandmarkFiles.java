package io.ukiyoe.data.align;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads face landmarks in three formats, as one file per image or one file for a folder (keyed by
 * image file name): AWS Rekognition DetectFaces JSON, dlib 68 points (CSV or JSON) and five points
 * (left eye, right eye, nose tip, left and right mouth corner; CSV or JSON).
 */
public final class LandmarkFiles {
    /** Supported formats. */
    public enum Format { REKOGNITION, DLIB68, FIVE_POINT }

    private LandmarkFiles() {}

    public static Format parseFormat(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "rekognition" -> Format.REKOGNITION;
            case "dlib68" -> Format.DLIB68;
            case "five-point" -> Format.FIVE_POINT;
            default -> throw new UserError("--format: must be rekognition, dlib68 or five-point, got '" + s + "'", 2, null);
        };
    }

    /**
     * The faces of one image: from {@code landmarks} (a folder of per-image files named after the
     * image, or one file for all images keyed by file name).
     */
    public static List<FaceAlign.Landmarks> forImage(Path landmarks, String imageName, int width, int height, Format f) {
        String stem = imageName.contains(".") ? imageName.substring(0, imageName.lastIndexOf('.')) : imageName;
        String base = Path.of(imageName).getFileName().toString();
        String baseStem = Path.of(stem).getFileName().toString();
        if (Files.isDirectory(landmarks)) {
            for (String ext : new String[] {".json", ".csv"}) {
                for (String n : new String[] {stem + ext, imageName + ext, baseStem + ext, base + ext}) {
                    Path p = landmarks.resolve(n);
                    if (Files.isRegularFile(p)) {
                        return parse(p, null, width, height, f);
                    }
                }
            }
            return null; // no landmarks for this image
        }
        return parse(landmarks, List.of(imageName, base, stem, baseStem), width, height, f);
    }

    private static List<FaceAlign.Landmarks> parse(Path file, List<String> keys, int w, int h, Format f) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            if (file.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return csv(file, text, keys, f);
            }
            JsonNode root = JsonMapper.builder().build().readTree(text);
            if (keys != null && root.isObject() && !root.has("FaceDetails")) {
                JsonNode hit = null;
                for (String k : keys) {
                    if (root.has(k)) {
                        hit = root.get(k);
                        break;
                    }
                }
                if (hit == null) {
                    return null;
                }
                root = hit;
            }
            return f == Format.REKOGNITION ? rekognition(file, root, w, h) : points(file, root, f);
        } catch (JacksonException e) {
            throw new UserError(file + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    static List<FaceAlign.Landmarks> rekognition(Path file, JsonNode root, int w, int h) {
        JsonNode faces = root.get("FaceDetails");
        if (faces == null || !faces.isArray()) {
            throw new UserError(file + ": not a Rekognition DetectFaces response (no FaceDetails list)");
        }
        List<FaceAlign.Landmarks> out = new ArrayList<>();
        for (JsonNode face : faces) {
            Map<String, double[]> byType = new LinkedHashMap<>();
            for (JsonNode lm : face.path("Landmarks")) {
                byType.put(lm.path("Type").asString(""), new double[] {lm.path("X").asDouble() * w, lm.path("Y").asDouble() * h});
            }
            for (String t : new String[] {"eyeLeft", "eyeRight", "mouthLeft", "mouthRight"}) {
                if (!byType.containsKey(t)) {
                    throw new UserError(file + ": a face lacks the '" + t + "' landmark");
                }
            }
            // Rekognition's "left" is checked rather than trusted: the recipe needs image-left first
            out.add(new FaceAlign.Landmarks(byType.get("eyeLeft"), byType.get("eyeRight"), byType.get("mouthLeft"),
                    byType.get("mouthRight")).imageLeftFirst());
        }
        return out;
    }

    /**
     * JSON: a list of points (one face), a list of faces each a list of [x, y], or a list of faces as
     * {@code data detect} writes them ({@code {"box": ..., "points": [[x, y], ...]}}; an empty list = no face).
     */
    static List<FaceAlign.Landmarks> points(Path file, JsonNode root, Format f) {
        List<FaceAlign.Landmarks> out = new ArrayList<>();
        if (!root.isArray()) {
            throw new UserError(file + ": expected a list of [x, y] points or a list of faces");
        }
        if (root.isEmpty()) {
            return out;
        }
        boolean detected = root.get(0).isObject();
        boolean manyFaces = detected || root.get(0).isArray() && root.get(0).size() > 0 && root.get(0).get(0).isArray();
        for (JsonNode entry : manyFaces ? root : List.of(root)) {
            JsonNode face = detected ? entry.path("points") : entry;
            if (!face.isArray() || face.isEmpty() || !face.get(0).isArray()) {
                throw new UserError(file + ": expected a list of [x, y] points or a list of faces");
            }
            double[][] pts = new double[face.size()][];
            for (int i = 0; i < pts.length; i++) {
                JsonNode pt = face.get(i);
                if (!pt.isArray() || pt.size() < 2 || !pt.get(0).isNumber() || !pt.get(1).isNumber()) {
                    throw new UserError(file + ": face " + (out.size() + 1) + ", point " + (i + 1) + " is not [x, y] (got "
                            + abbreviate(pt.toString()) + ")");
                }
                pts[i] = new double[] {pt.get(0).asDouble(), pt.get(1).asDouble()};
            }
            out.add(fromPoints(file, pts, f));
        }
        return out;
    }

    private static String abbreviate(String json) {
        return json.length() <= 40 ? json : json.substring(0, 37) + "...";
    }

    static FaceAlign.Landmarks fromPoints(Path file, double[][] p, Format f) {
        if (f == Format.DLIB68) {
            if (p.length != 68) {
                throw new UserError(file + ": dlib68 needs 68 points, got " + p.length);
            }
            return new FaceAlign.Landmarks(mean(p, 36, 42), mean(p, 42, 48), p[48], p[54]).imageLeftFirst();
        }
        if (p.length != 5) {
            throw new UserError(file + ": five-point needs 5 points (eyes, nose tip, mouth corners), got " + p.length);
        }
        return new FaceAlign.Landmarks(p[0], p[1], p[3], p[4]).imageLeftFirst();
    }

    private static double[] mean(double[][] p, int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i < to; i++) {
            x += p[i][0];
            y += p[i][1];
        }
        return new double[] {x / (to - from), y / (to - from)};
    }

    /** CSV: rows "file,x0,y0,x1,y1,..." (an optional header row is skipped); several rows per file = several faces. */
    static List<FaceAlign.Landmarks> csv(Path file, String text, List<String> keys, Format f) {
        if (f == Format.REKOGNITION) {
            throw new UserError(file + ": Rekognition landmarks are JSON");
        }
        List<FaceAlign.Landmarks> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\\R")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = cells(line);
            int first = 1;
            if (keys != null && !keys.contains(cells[0].strip())) {
                continue;
            }
            if (keys == null) {
                first = cells.length % 2 == 1 ? 1 : 0;
            }
            double[][] p = new double[(cells.length - first) / 2][];
            try {
                for (int i = 0; i < p.length; i++) {
                    p[i] = new double[] {Double.parseDouble(cells[first + 2 * i].strip()),
                            Double.parseDouble(cells[first + 2 * i + 1].strip())};
                }
            } catch (NumberFormatException e) {
                if (lineNo == 1) {
                    continue; // header
                }
                throw new UserError(file + ":" + lineNo + ": not a number in '" + line + "'");
            }
            out.add(fromPoints(file, p, f));
        }
        return keys != null && out.isEmpty() ? null : out;
    }

    /** The cells of a CSV line (quoted file names allowed), without trailing empty cells. */
    private static String[] cells(String line) {
        List<String> c = new ArrayList<>(Csv.split(line));
        while (c.size() > 1 && c.get(c.size() - 1).isEmpty()) {
            c.remove(c.size() - 1);
        }
        return c.isEmpty() ? new String[] {""} : c.toArray(String[]::new);
    }
}
