package io.ukiyoe.training.project;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.data.Resample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What to project: images (a file, or a folder / .zip in sorted order), centre-cropped to a square and
 * resized to the comparison size (Lanczos, antialiased; projector.py resizes with PIL's bilinear, which
 * differs by a few levels per pixel), or a float32 {@code .npy} [1, 3, S, S] in [-1, 1] used as is.
 */
public final class ProjectionTargets {
    private ProjectionTargets() {}

    /** One target: a name for its output files and the image [1, 3, S, S] in [-1, 1]. */
    public record Target(String name, INDArray image) {}

    public static List<Target> load(Path source, int size) {
        String lower = source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(source) && lower.endsWith(".npy")) {
            Tensor t = Npy.read(source);
            if (!Arrays.equals(t.shape(), new long[] {1, 3, size, size})) {
                throw new UserError(source + ": a target must be float32 [1, 3, " + size + ", " + size + "] in [-1, 1] for this "
                        + "model, got " + t.shapeString());
            }
            return List.of(new Target(stem(source.getFileName().toString()), Nd4j.create(t.data(), t.shape(), 'c')));
        }
        if (Files.isRegularFile(source) && !lower.endsWith(".zip")) {
            try {
                return List.of(fromBytes(source.getFileName().toString(), Files.readAllBytes(source), size, source));
            } catch (IOException e) {
                throw new UserError(source + ": cannot read: " + e.getMessage(), e);
            }
        }
        List<Target> out = new ArrayList<>();
        try (ImageSource src = ImageSource.open(source)) {
            for (String name : src.names()) {
                out.add(fromBytes(name, src.bytes(name), size, source.resolve(name)));
            }
        }
        if (out.isEmpty()) {
            throw new UserError(source + ": no images (.png, .jpg) to project");
        }
        return out;
    }

    private static Target fromBytes(String name, byte[] bytes, int size, Path where) {
        var img = Decoder.decode(bytes);
        if (img == null) {
            throw new UserError(where + ": not a readable image");
        }
        float[] chw = Resample.toSquare(img, size, Resample.Fit.CROP);
        return new Target(stem(name), Nd4j.create(chw, new long[] {1, 3, size, size}, DataType.FLOAT));
    }

    /** File name without folders and extension (the output files' prefix). */
    static String stem(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
