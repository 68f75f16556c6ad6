package io.ukiyoe.data;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.core.io.Zips;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code data prepare}: decode, orient, crop and resize every image once and pack the results as
 * PNGs in a zip with a manifest ({@code dataset.json}: format, version, count, resolution, and each
 * image's source name and SHA-256), so training and sweeps skip decoding and resizing.
 */
public final class Prepare {
    public static final String MANIFEST = "dataset.json";
    public static final String FORMAT = "ukiyoe.dataset";

    private Prepare() {}

    /** What was written. */
    public record Summary(int images, int skipped, double seconds) {}

    public static Summary run(Path images, int resolution, Resample.Fit fit, Path out, IntConsumer progress)
            throws IOException {
        long t0 = System.nanoTime();
        try (ImageDataset ds = ImageDataset.open(images, new ImageDataset.Options(resolution, fit, false))) {
            List<Map<String, Object>> entries = new ArrayList<>();
            AtomicFiles.write(out, os -> {
                ZipOutputStream zip = new ZipOutputStream(os);
                for (int i = 0; i < ds.files(); i++) {
                    String name = ds.source().names().get(i);
                    byte[] raw = ds.source().bytes(name);
                    BufferedImage img = Decoder.decode(raw);
                    if (img == null) {
                        ds.load(i); // records the warning and the skip count in one place
                        progress.accept(i + 1);
                        continue;
                    }
                    float[] chw = Resample.toSquare(img, resolution, fit);
                    String file = String.format("img%08d.png", entries.size());
                    Zips.putStored(zip, file, png(chw, resolution));
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("file", file);
                    e.put("source", name);
                    e.put("sha256", Hashing.sha256(raw));
                    entries.add(e);
                    progress.accept(i + 1);
                }
                if (entries.isEmpty()) {
                    throw new UserError(images + ": none of the " + ds.files() + " files is a readable image");
                }
                Map<String, Object> manifest = new LinkedHashMap<>();
                manifest.put("format", FORMAT);
                manifest.put("format_version", 1);
                manifest.put("count", entries.size());
                manifest.put("resolution", resolution);
                manifest.put("fit", fit.name().toLowerCase(java.util.Locale.ROOT));
                manifest.put("skipped", ds.skipped());
                manifest.put("images", entries);
                Zips.putStored(zip, MANIFEST, JsonMapper.builder().build().writeValueAsString(manifest)
                        .getBytes(StandardCharsets.UTF_8));
                zip.finish();
            });
            return new Summary(entries.size(), ds.skipped(), (System.nanoTime() - t0) / 1e9);
        }
    }

    static byte[] png(float[] chw, int res) throws IOException {
        BufferedImage img = new BufferedImage(res, res, BufferedImage.TYPE_INT_RGB);
        int plane = res * res;
        for (int i = 0; i < plane; i++) {
            int r = Math.round((chw[i] + 1) * 127.5f);
            int g = Math.round((chw[plane + i] + 1) * 127.5f);
            int b = Math.round((chw[2 * plane + i] + 1) * 127.5f);
            img.setRGB(i % res, i / res, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bos);
        return bos.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

}
