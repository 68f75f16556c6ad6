package io.ukiyoe.data;

import io.ukiyoe.core.UserError;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Aligned image pairs in pix2pixHD's layout: {@code DIR/train_A/} (inputs) and {@code DIR/train_B/}
 * (targets), one pair per file name present in both (the layout {@code ukiyoe distill pairs} writes). A
 * sample is the pair stacked on channels, [6, R, R] in [-1, 1] (A's three channels first), both resized
 * to R with the same square crop. The last {@code heldOut} pairs in name order are held out: never
 * trained on, read with {@link #heldOut(int)} (sample grids, held-out errors).
 */
public final class PairDataset implements BatchLoader.Source, AutoCloseable {
    public static final String A = "train_A";
    public static final String B = "train_B";

    private final Path dir;
    private final ImageSource a;
    private final ImageSource b;
    private final int resolution;
    private final int heldOut;

    private PairDataset(Path dir, ImageSource a, ImageSource b, int resolution, int heldOut) {
        this.dir = dir;
        this.a = a;
        this.b = b;
        this.resolution = resolution;
        this.heldOut = heldOut;
    }

    /**
     * Opens {@code dir}; {@code resolution} 0 = the width of the first A image. One-line errors for a
     * missing folder, unmatched names, or too few pairs to hold {@code heldOut} out and train on the rest.
     */
    public static PairDataset open(Path dir, int resolution, int heldOut) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such pairs folder");
        }
        for (String side : List.of(A, B)) {
            if (!Files.isDirectory(dir.resolve(side))) {
                throw new UserError(dir + ": no " + side + "/ folder (pix2pixHD's aligned layout: " + A + "/ and " + B
                        + "/ with the same file names)");
            }
        }
        ImageSource a = ImageSource.open(dir.resolve(A));
        ImageSource b = ImageSource.open(dir.resolve(B));
        try {
            if (!a.names().equals(b.names())) {
                throw new UserError(dir + ": " + unmatched(a.names(), b.names()));
            }
            int n = a.names().size();
            if (n <= heldOut) {
                throw new UserError(dir + ": " + n + " pairs, but " + heldOut + " are held out and at least one must be left to train on");
            }
            int res = resolution > 0 ? resolution : firstWidth(a);
            return new PairDataset(dir, a, b, res, heldOut);
        } catch (RuntimeException e) {
            a.close();
            b.close();
            throw e;
        }
    }

    private static String unmatched(List<String> a, List<String> b) {
        Set<String> inB = new HashSet<>(b);
        for (String n : a) {
            if (!inB.contains(n)) {
                return A + "/" + n + " has no " + B + "/" + n;
            }
        }
        Set<String> inA = new HashSet<>(a);
        for (String n : b) {
            if (!inA.contains(n)) {
                return B + "/" + n + " has no " + A + "/" + n;
            }
        }
        return A + " and " + B + " list the same names differently";
    }

    private static int firstWidth(ImageSource src) {
        if (src.names().isEmpty()) {
            throw new UserError(src.path() + ": no images (.png, .jpg, .jpeg) found");
        }
        BufferedImage img = Decoder.decode(src.bytes(src.names().get(0)));
        if (img == null) {
            throw new UserError(src.path().resolve(src.names().get(0)) + ": not a readable PNG/JPEG image");
        }
        return img.getWidth();
    }

    public Path dir() {
        return dir;
    }

    public int resolution() {
        return resolution;
    }

    /** Pairs in the folder (training and held out). */
    public int files() {
        return a.names().size();
    }

    /** Names of the held-out pairs. */
    public List<String> heldOutNames() {
        return a.names().subList(files() - heldOut, files());
    }

    /** Training pairs: all but the held-out ones. */
    @Override
    public int size() {
        return files() - heldOut;
    }

    @Override
    public int[] order(long seed, long epoch) {
        return ImageDataset.shuffled(size(), seed, epoch);
    }

    @Override
    public long[] sampleShape() {
        return new long[] {6, resolution, resolution};
    }

    @Override
    public String unreadable() {
        return dir + ": none of the " + size() + " training pairs is readable";
    }

    /** Training pair {@code index}, or null when either image is unreadable. */
    @Override
    public float[] load(int index) {
        return pair(index);
    }

    /** Held-out pair {@code i} (0-based among them); an unreadable one is an error. */
    public float[] heldOut(int i) {
        float[] p = pair(size() + i);
        if (p == null) {
            throw new UserError(dir + ": held-out pair " + a.names().get(size() + i) + " is not readable");
        }
        return p;
    }

    private float[] pair(int index) {
        String name = a.names().get(index);
        float[] x = read(a, name);
        float[] y = x == null ? null : read(b, name);
        if (y == null) {
            return null;
        }
        float[] out = new float[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    private float[] read(ImageSource src, String name) {
        BufferedImage img = Decoder.decode(src.bytes(name));
        return img == null ? null : Resample.toSquare(img, resolution, Resample.Fit.CROP);
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
