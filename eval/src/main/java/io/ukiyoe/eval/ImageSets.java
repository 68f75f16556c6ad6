package io.ukiyoe.eval;

import io.ukiyoe.data.ImageDataset;
import io.ukiyoe.data.Resample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Image sets for metrics read from a folder / dataset, as [3,R,R] in [-1, 1] (a model's images come from
 * {@link io.ukiyoe.graphs.generate.SeedImages}).
 */
public final class ImageSets {
    private ImageSets() {}

    /** Up to n images of a folder / zip / prepared dataset at the resolution, corrupt files skipped. */
    public static int read(Path images, int resolution, int n, long seed, Consumer<float[]> sink) {
        try (ImageDataset ds = ImageDataset.open(images, new ImageDataset.Options(resolution, Resample.Fit.CROP, false))) {
            int[] order = ds.order(seed, 0);
            int got = 0;
            for (int i = 0; i < order.length && got < n; i++) {
                float[] img = ds.load(order[i]);
                if (img != null) {
                    sink.accept(img);
                    got++;
                }
            }
            return got;
        }
    }

    /**
     * The size image sets are compared at when no model fixes it: the largest power of two (at least
     * 16) that fits the shorter side of the first readable image of each set.
     */
    public static int comparisonSize(Path... imageSets) {
        int side = Integer.MAX_VALUE;
        for (Path p : imageSets) {
            side = Math.min(side, shorterSide(p));
        }
        return Math.max(16, Integer.highestOneBit(side));
    }

    private static int shorterSide(Path images) {
        try (io.ukiyoe.data.ImageSource src = io.ukiyoe.data.ImageSource.open(images)) {
            for (String name : src.names()) {
                java.awt.image.BufferedImage img = io.ukiyoe.data.Decoder.decode(src.bytes(name));
                if (img != null) {
                    return Math.min(img.getWidth(), img.getHeight());
                }
            }
        }
        throw new io.ukiyoe.core.UserError(images + ": no readable images");
    }

    /** True when the path is a model file or checkpoint rather than images. */
    public static boolean isModel(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".safetensors") || n.endsWith(".pt") || n.endsWith(".pkl")
                || n.endsWith(".pth"));
    }

    /** [-1, 1] -> 0..255, as the SWD reference processes images. */
    public static float[] to255(float[] chw) {
        float[] o = new float[chw.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.max(0, Math.min(255, (chw[i] + 1) * 127.5f));
        }
        return o;
    }

}
