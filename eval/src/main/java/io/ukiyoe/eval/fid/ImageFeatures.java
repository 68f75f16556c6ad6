package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.WorkerCache;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.graphs.vision.FidInception;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pool3 features of an image set, in batches, as pytorch-fid and stylegan2-ada take the images:
 * files decoded to RGB at their own size, {@code u8 / 255} (pytorch-fid's {@code ToTensor}); generated
 * images quantised as ada does ({@code uint8(clamp(x * 127.5 + 128, 0, 255))}) before {@code / 255}.
 * The network resizes each batch to 299 px; a batch holds images of one size.
 */
public final class ImageFeatures {
    private final FidInception net;
    private final int batch;
    private final LongConsumer progress;

    /** {@code progress} receives the number of images done so far. */
    public ImageFeatures(FidInception net, int batch, LongConsumer progress) {
        if (batch < 1) {
            throw new UserError("--batch must be positive, got " + batch);
        }
        this.net = net;
        this.batch = batch;
        this.progress = progress;
    }

    /**
     * One window of a set, as a worker of a {@link Cluster} takes it: images {@code k * batch} up to
     * {@code min(n, (k + 1) * batch)} of a dataset (file-name order) or of a model (seeds, truncation psi).
     * Every run cuts a set into the same windows, so its features are the same on any engine.
     */
    public record Window(String inception, String set, boolean model, int n, int batch, double psi, int k)
            implements Serializable {
        int from() {
            return k * batch;
        }

        int to() {
            return (int) Math.min(n, (long) (k + 1) * batch);
        }
    }

    /** The windows of a set of {@code total} images. */
    public static List<Window> windows(Path inception, Path set, boolean model, int total, int batch, double psi) {
        List<Window> out = new ArrayList<>();
        for (int k = 0; (long) k * batch < total; k++) {
            out.add(new Window(inception.toAbsolutePath().toString(), set.toAbsolutePath().toString(), model, total, batch,
                    psi, k));
        }
        return out;
    }

    /** A window's features, in the chunks the network returned (a window splits where the image size changes). */
    public static ArrayList<float[][]> features(Window w) {
        Path inception = Path.of(w.inception());
        Path set = Path.of(w.set());
        ImageFeatures f = new ImageFeatures(network(inception), w.batch(), done -> { });
        ArrayList<float[][]> out = new ArrayList<>();
        Consumer<INDArray> sink = x -> out.add(x.toFloatMatrix());
        if (w.model()) {
            Generator g = WorkerCache.get("generator " + WorkerCache.fileKey(set),
                    () -> new Generator(Importer.importFile(set, Importer.Format.AUTO)));
            f.ofGenerator(g, seeds(w.from(), w.to()), w.psi(), sink);
        } else {
            f.ofImages(set, w.from(), w.to(), sink);
        }
        return out;
    }

    /**
     * Features of a weights file's network (loaded once per JVM), {@code batch} images per pass; a missing
     * or unset file is the one-line error naming the file people use.
     */
    public static ImageFeatures of(Path inception, int batch) {
        if (inception == null || !java.nio.file.Files.isRegularFile(inception)) {
            FidInception.load(inception);
        }
        return new ImageFeatures(network(inception), batch, done -> { });
    }

    /** The network of a weights file, loaded once per JVM. */
    static FidInception network(Path inception) {
        return WorkerCache.get("fid-inception " + WorkerCache.fileKey(inception), () -> FidInception.load(inception));
    }

    private static List<Long> seeds(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long s = from; s < to; s++) {
            out.add(s);
        }
        return out;
    }

    /** Features of images {@code from} (inclusive) to {@code to} of a folder, zip or prepared dataset, in file-name order. */
    public void ofImages(Path images, int from, int to, Consumer<INDArray> sink) {
        try (ImageSource src = ImageSource.open(images)) {
            List<String> names = src.names();
            if (names.isEmpty()) {
                throw new UserError(images + ": no images (.png, .jpg, .jpeg) found");
            }
            Batcher b = new Batcher(sink);
            for (int i = from; i < Math.min(to, names.size()); i++) {
                BufferedImage img = Decoder.decode(src.bytes(names.get(i)));
                if (img == null) {
                    throw new UserError(images + ": " + names.get(i) + " is not a readable PNG/JPEG image");
                }
                b.add(unit(img), img.getHeight(), img.getWidth());
            }
            b.flush();
        }
    }

    /** Features of a generator's images for the seeds with truncation {@code psi}. */
    public void ofGenerator(Generator g, List<Long> seeds, double psi, Consumer<INDArray> sink) {
        int res = g.config().resolution();
        Batcher b = new Batcher(sink);
        SeedImages.generate(g, seeds, psi, batch, img -> b.add(quantised(img), res, res));
        b.flush();
    }

    /** Features of a generator's images for seeds 0..n-1 with truncation {@code psi}. */
    public void ofGenerator(Generator g, int n, double psi, Consumer<INDArray> sink) {
        ofGenerator(g, SeedImages.range(n), psi, sink);
    }

    /**
     * A sink for generated images of {@code res} px (CHW in [-1, 1]) as they are made, taken as
     * {@link #ofGenerator} takes them; {@link Collected#features()} after the last.
     */
    public Collected collect(int res) {
        return new Collected(res);
    }

    /** Generated images' features, run through the network a batch at a time (see {@link #collect}). */
    public final class Collected implements Consumer<float[]> {
        private final int res;
        private final List<INDArray> parts = new ArrayList<>();
        private final Batcher batcher = new Batcher(parts::add);

        private Collected(int res) {
            this.res = res;
        }

        @Override
        public void accept(float[] chw) {
            batcher.add(quantised(chw), res, res);
        }

        /** Pool3 features {@code [n, 2048]} of every image given so far. */
        public INDArray features() {
            batcher.flush();
            if (parts.isEmpty()) {
                throw new IllegalStateException("no images were collected");
            }
            return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
        }
    }

    /** Features of float NCHW images in [0, 1] (any size). */
    public INDArray ofArray(INDArray images) {
        checkImages(images);
        long[] s = images.shape();
        List<INDArray> parts = new ArrayList<>();
        for (long i = 0; i < s[0]; i += batch) {
            INDArray part = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, Math.min(s[0], i + batch)));
            parts.add(net.features(part));
            progress.accept(Math.min(s[0], i + batch));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** A one-line error unless {@code images} is {@code [N >= 1, 3, H, W]}. */
    public static void checkImages(INDArray images) {
        long[] s = images.shape();
        if (s.length != 4 || s[1] != 3 || s[0] < 1) {
            throw new UserError("images must be float NCHW RGB [N, 3, H, W] in [0, 1], got " + java.util.Arrays.toString(s)
                    + (s.length == 4 && s[1] == 1 ? " (one channel: convert to RGB first)" : ""));
        }
    }

    /** An RGB image as CHW floats {@code u8 / 255}. */
    static float[] unit(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[3 * h * w];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out[y * w + x] = ((p >> 16) & 0xff) / 255f;
                out[(h + y) * w + x] = ((p >> 8) & 0xff) / 255f;
                out[(2 * h + y) * w + x] = (p & 0xff) / 255f;
            }
        }
        return out;
    }

    /** A generated image in [-1, 1] as ada's metrics see it: {@code uint8(clamp(x * 127.5 + 128, 0, 255)) / 255}. */
    static float[] quantised(float[] chw) {
        float[] out = new float[chw.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.max(0, Math.min(255, chw[i] * 127.5f + 128)) / 255f;
        }
        return out;
    }

    /** Collects images of one size into batches and runs the network on each. */
    private final class Batcher {
        private final Consumer<INDArray> sink;
        private final List<float[]> pending = new ArrayList<>();
        private int h = -1;
        private int w = -1;
        private long done;

        Batcher(Consumer<INDArray> sink) {
            this.sink = sink;
        }

        void add(float[] chw, int height, int width) {
            if (!pending.isEmpty() && (height != h || width != w)) {
                flush();
            }
            h = height;
            w = width;
            pending.add(chw);
            if (pending.size() == batch) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            int per = 3 * h * w;
            float[] all = new float[pending.size() * per];
            for (int i = 0; i < pending.size(); i++) {
                System.arraycopy(pending.get(i), 0, all, i * per, per);
            }
            INDArray x = Nd4j.create(all, new long[] {pending.size(), 3, h, w}, DataType.FLOAT);
            done += pending.size();
            pending.clear();
            sink.accept(net.features(x));
            progress.accept(done);
        }
    }
}
