package io.ukiyoe.data;

import io.ukiyoe.core.UserError;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder, zip or prepared dataset of images as float32 CHW images in [-1, 1] at one resolution.
 * Index i < files() is image i in sorted order; with x-flip, index files() + i is its mirror image.
 * Corrupt files are skipped with one warning each ({@link #skipped()} counts them).
 */
public final class ImageDataset implements AutoCloseable, BatchLoader.Source {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDataset.class);

    /** How images are read. */
    public record Options(
            int resolution,        // output size in pixels (square)
            Resample.Fit fit,      // crop or pad non-square images
            boolean xflip) {       // add mirrored copies (doubles the dataset)
        public Options {
            if (resolution < 1) {
                throw new IllegalArgumentException("resolution must be positive");
            }
        }
    }

    private final ImageSource source;
    private final Options options;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger skipped = new AtomicInteger();

    private ImageDataset(ImageSource source, Options options) {
        this.source = source;
        this.options = options;
    }

    public static ImageDataset open(Path path, Options options) {
        ImageSource src = ImageSource.open(path);
        if (src.names().isEmpty()) {
            src.close();
            throw new UserError(path + ": no images (.png, .jpg, .jpeg) found");
        }
        return new ImageDataset(src, options);
    }

    public Options options() {
        return options;
    }

    public ImageSource source() {
        return source;
    }

    public int files() {
        return source.names().size();
    }

    @Override
    public long[] sampleShape() {
        return new long[] {3, options.resolution(), options.resolution()};
    }

    @Override
    public String unreadable() {
        return source.path() + ": none of the " + files() + " files is a readable image";
    }

    @Override
    public int size() {
        return files() * (options.xflip() ? 2 : 1);
    }

    public int skipped() {
        return skipped.get();
    }

    /** Image {@code index} as [3, R, R] floats, or null when its file cannot be decoded. */
    @Override
    public float[] load(int index) {
        int file = index % files();
        String name = source.names().get(file);
        BufferedImage img = Decoder.decode(source.bytes(name));
        if (img == null) {
            if (warned.add(name)) {
                skipped.incrementAndGet();
                LOG.warn("{}: {} is not a readable PNG/JPEG image, skipped", source.path(), name);
            }
            return null;
        }
        float[] out = Resample.toSquare(img, options.resolution(), options.fit());
        return index >= files() ? mirror(out, options.resolution()) : out;
    }

    static float[] mirror(float[] chw, int res) {
        float[] out = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < res; y++) {
                for (int x = 0; x < res; x++) {
                    out[(c * res + y) * res + x] = chw[(c * res + y) * res + (res - 1 - x)];
                }
            }
        }
        return out;
    }

    /** The visiting order of an epoch: a permutation that depends only on (seed, epoch). */
    @Override
    public int[] order(long seed, long epoch) {
        return shuffled(size(), seed, epoch);
    }

    /** A permutation of {@code 0..n-1} that depends only on (n, seed, epoch): every loader's epoch order. */
    public static int[] shuffled(int n, long seed, long epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed * 1_000_003L + epoch * 7_919L + 17);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public void close() {
        source.close();
    }
}
