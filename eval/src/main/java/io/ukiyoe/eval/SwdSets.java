package io.ukiyoe.eval;

import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.WorkerCache;
import io.ukiyoe.data.ImageDataset;
import io.ukiyoe.data.Resample;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * SWD descriptors of a set on a {@link Cluster}: the set is cut into windows of whole generator batches,
 * each window's images are described where the cluster runs it (every image with its own patch stream,
 * {@link Swd.Descriptors}), and the driver adds them in image order, so the descriptors, and the SWD, are
 * the same on any engine and any partitioning. A model file stands for images of seeds 0..n-1 (no
 * truncation); a folder / zip / prepared dataset for its first n images in the seed's shuffled order
 * (an unreadable file is skipped, not replaced).
 */
public final class SwdSets {
    /** Images per generator pass; windows are whole passes, so every pass holds the same seeds on any engine. */
    static final int GENERATOR_BATCH = 8;

    private SwdSets() {}

    /** Images {@code [from, to)} of a set, as a worker takes them. */
    record Window(String set, boolean model, int resolution, long seed, int from, int to) implements Serializable {}

    /** The descriptors of up to {@code n} images of {@code set} at {@code resolution}, computed on {@code cluster}. */
    public static Swd.Descriptors descriptors(Path set, int n, int resolution, long seed, Cluster cluster,
                                              IntConsumer progress) {
        boolean model = ImageSets.isModel(set);
        if (model) {
            int generates = generator(set.toAbsolutePath()).config().resolution();   // the workers' load, when local
            if (generates != resolution) {
                throw new io.ukiyoe.core.UserError(set + ": generates " + generates
                        + " px images, the comparison is at " + resolution + " px");
            }
        } else if (!java.nio.file.Files.exists(set)) {
            throw new io.ukiyoe.core.UserError(set + ": no such file or folder");
        }
        int total = model ? n : Math.min(n, datasetSize(set, resolution));
        // a few windows per worker, whole generator passes each
        int per = Math.max(1, (total + 4 * cluster.parallelism() - 1) / (4 * cluster.parallelism()));
        per = Math.min(512, (per + GENERATOR_BATCH - 1) / GENERATOR_BATCH * GENERATOR_BATCH);
        List<Window> windows = new ArrayList<>();
        for (int from = 0; from < total; from += per) {
            windows.add(new Window(set.toAbsolutePath().toString(), model, resolution, seed, from, Math.min(total, from + per)));
        }
        Swd.Descriptors out = new Swd.Descriptors(resolution, seed);
        int size = per;
        for (ArrayList<float[][][]> images : cluster.map(windows, SwdSets::describe,
                k -> progress.accept(Math.min(total, k * size)))) {
            images.forEach(out::addDescribed);
        }
        if (out.images() == 0) {
            throw new io.ukiyoe.core.UserError(set + ": no readable images (.png, .jpg, .jpeg)");
        }
        return out;
    }

    /** A window's images' descriptors, in image order (unreadable files left out). */
    static ArrayList<float[][][]> describe(Window w) {
        ArrayList<float[][][]> out = new ArrayList<>();
        if (w.model()) {
            Path file = Path.of(w.set());
            Generator g = generator(file);
            List<Long> seeds = new ArrayList<>();
            for (long s = w.from(); s < w.to(); s++) {
                seeds.add(s);
            }
            int[] index = {w.from()};
            SeedImages.generate(g, seeds, 1, GENERATOR_BATCH,
                    img -> out.add(Swd.describe(ImageSets.to255(img), w.resolution(), w.seed(), index[0]++)));
            return out;
        }
        try (ImageDataset ds = open(Path.of(w.set()), w.resolution())) {
            int[] order = ds.order(w.seed(), 0);
            for (int i = w.from(); i < w.to(); i++) {
                float[] img = ds.load(order[i]);
                if (img != null) {
                    out.add(Swd.describe(ImageSets.to255(img), w.resolution(), w.seed(), i));
                }
            }
        }
        return out;
    }

    /** A model file's generator, loaded once per JVM (driver and in-process workers share it). */
    private static Generator generator(Path file) {
        return WorkerCache.get("generator " + WorkerCache.fileKey(file),
                () -> new Generator(Importer.importFile(file, Importer.Format.AUTO)));
    }

    private static ImageDataset open(Path set, int resolution) {
        return ImageDataset.open(set, new ImageDataset.Options(resolution, Resample.Fit.CROP, false));
    }

    private static int datasetSize(Path set, int resolution) {
        try (ImageDataset ds = open(set, resolution)) {
            return ds.size();
        }
    }
}
