package io.ukiyoe.data.synth;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.data.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntConsumer;

/** Writes a synthetic set: {@code face00000.png ...} and {@code labels.csv}. */
public final class SynthSet {
    public static final String LABELS = "labels.csv";
    static final String HEADER = "file,domain,yaw,eye_size,hair_style,hair_rgb,skin_rgb,background_rgb,"
            + "eye_left_x,eye_left_y,eye_right_x,eye_right_y,mouth_left_x,mouth_left_y,mouth_right_x,mouth_right_y";

    private SynthSet() {}

    public static String fileName(int i) {
        return String.format("face%05d.png", i);
    }

    public static void write(SynthFace.Domain domain, int n, int size, long seed, Path out, IntConsumer progress)
            throws IOException {
        if (n <= 0 || size < 16 || size > 4096) {
            throw new UserError("synth: --n must be positive and --size in [16, 4096]", 2, null);
        }
        Files.createDirectories(out);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < n; i++) {
            SynthFace.Rendered r = SynthFace.render(domain, size, SynthFace.imageSeed(seed, i));
            Images.writePng(out.resolve(fileName(i)), r.image());
            SynthFace.Face f = r.face();
            csv.append(String.format(Locale.ROOT, "%s,%s,%.3f,%.4f,%d,%06x,%06x,%06x,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f%n",
                    fileName(i), domain.name().toLowerCase(Locale.ROOT), f.yaw(), f.eyeSize(), f.hairStyle(), f.hairRgb(),
                    f.skinRgb(), f.backgroundRgb(), f.eyeLeftX(), f.eyeLeftY(), f.eyeRightX(), f.eyeRightY(),
                    f.mouthLeftX(), f.mouthLeftY(), f.mouthRightX(), f.mouthRightY()));
            progress.accept(i + 1);
        }
        AtomicFiles.writeString(out.resolve(LABELS), csv.toString());
    }
}
