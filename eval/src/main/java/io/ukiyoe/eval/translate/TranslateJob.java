package io.ukiyoe.eval.translate;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.translate.Translator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Images or an array through a {@link Translator}: a PNG per image, and with {@code npy} also
 * {@code images.npy} (float32 NCHW, the raw network output). Images are decoded by the data module
 * (EXIF orientation, RGB), resized with Lanczos to {@code size} or to the nearest multiple of the
 * network's size multiple (as pix2pixHD's {@code __make_power_2} rounds), and mapped to [-1, 1].
 */
public final class TranslateJob {
    /**
     * @param out   folder for the PNGs and images.npy
     * @param npy   also write images.npy
     * @param batch images per network pass
     * @param size  {@code [W, H]} every image is resized to, or null: each image's own size rounded to the multiple
     */
    public record Options(Path out, boolean npy, int batch, int[] size) {
        public Options {
            if (batch < 1) {
                throw new UserError("--batch: must be at least 1, got " + batch, 2, null);
            }
        }
    }

    /** Told the count done after each batch. */
    public interface Progress {
        void update(int done, int total);
    }

    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private TranslateJob() {}

    /**
     * Every image of a folder (png/jpg, sorted by name), read batch by batch (a folder never has to fit in
     * memory); {@code progress} gets the count done. Returns the count.
     */
    public static int images(Translator t, Path dir, Options o, Progress progress) {
        List<Path> files = imageFiles(dir);
        checkSize(t, o.size());
        if (t.inputChannels() != 3) {
            throw new UserError(dir + ": images are RGB, but the network takes " + t.inputChannels() + " channels (use --input X.npy)");
        }
        if (o.npy() && o.size() == null) {      // one images.npy needs one size: check before writing anything
            List<String> sizes = files.stream().map(f -> Arrays.toString(load(f, t.sizeMultiple(), null).shape())).distinct().toList();
            if (sizes.size() > 1) {
                throw new UserError(dir + ": images of different sizes cannot go into one images.npy; give --size WxH");
            }
        }
        run(t, files.size(), i -> load(files.get(i), t.sizeMultiple(), o.size()), i -> stem(files.get(i)), o, progress);
        return files.size();
    }

    /** The rows of a float32 NCHW array in [-1, 1]; PNG names {@code 000000.png} ... */
    public static int array(Translator t, Path npy, Options o, Progress progress) {
        INDArray x = Ops.array(Npy.read(npy));
        long[] s = x.shape();
        int m = t.sizeMultiple();
        if (s.length != 4 || s[1] != t.inputChannels() || s[2] % m != 0 || s[3] % m != 0) {
            throw new UserError(npy + ": expected [N, " + t.inputChannels() + ", H, W] with H and W multiples of " + m
                    + ", got " + Arrays.toString(s));
        }
        if (o.size() != null) {
            throw new UserError("--size applies to --images only; resize arrays before", 2, null);
        }
        int n = (int) s[0];
        run(t, n, i -> x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()),
                i -> String.format(Locale.ROOT, "%06d", i), o, progress);
        return n;
    }

    /** Inputs {@code 0..n-1} through the network in batches of consecutive inputs of one size. */
    private static void run(Translator t, int n, IntFunction<INDArray> input, IntFunction<String> name, Options o, Progress progress) {
        if (n == 0) {
            throw new UserError("nothing to translate: 0 images");
        }
        int c = prepareOutput(t, o.out());
        List<INDArray> outputs = new ArrayList<>();
        INDArray next = input.apply(0);
        int done = 0;
        while (done < n) {
            List<INDArray> batch = new ArrayList<>(List.of(next));
            next = null;
            while (done + batch.size() < n && batch.size() < o.batch()) {
                INDArray x = input.apply(done + batch.size());
                if (!Arrays.equals(x.shape(), batch.get(0).shape())) {
                    next = x;                       // starts the next batch
                    break;
                }
                batch.add(x);
            }
            INDArray y = t.translate(Nd4j.concat(0, batch.toArray(INDArray[]::new)));
            for (int i = 0; i < batch.size(); i++) {
                INDArray img = y.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup();
                if (o.npy()) {
                    outputs.add(img);
                }
                writePng(o.out().resolve(name.apply(done + i) + ".png"), c == 1 ? Nd4j.concat(0, img, img, img) : img);
            }
            done += batch.size();
            if (next == null && done < n) {
                next = input.apply(done);
            }
            progress.update(done, n);
        }
        if (o.npy()) {
            INDArray all = Nd4j.stack(0, outputs.toArray(INDArray[]::new));
            try {
                Npy.write(o.out().resolve("images.npy"), NdArrays.tensor(all));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Checks the network's outputs make PNGs and creates the output folder; returns the output channels. */
    static int prepareOutput(Translator t, Path out) {
        int c = t.outputChannels();
        if (c != 1 && c != 3) {
            throw new UserError("the network has " + c + " output channels: PNGs need 1 or 3");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError(out + ": cannot create the output folder (" + e.getMessage() + ")");
        }
        return c;
    }

    private static void writePng(Path file, INDArray chw) {
        try {
            Images.writePng(file, Images.toImage(chw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void checkSize(Translator t, int[] size) {
        if (size != null && (size[0] % t.sizeMultiple() != 0 || size[1] % t.sizeMultiple() != 0 || size[0] < 1 || size[1] < 1)) {
            throw new UserError("--size: " + size[0] + "x" + size[1] + " is not a multiple of " + t.sizeMultiple()
                    + " on each side (the network's downsampling needs it)", 2, null);
        }
    }

    /** The nearest positive multiple of {@code m} (pix2pixHD's {@code __make_power_2}: round, at least one). */
    static int roundTo(int n, int m) {
        return Math.max(m, Math.round(n / (float) m) * m);
    }

    /** One image as [1, 3, H, W] in [-1, 1], resized as described above. */
    static INDArray load(Path file, int multiple, int[] size) {
        BufferedImage img;
        try {
            img = Decoder.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (img == null) {
            throw new UserError(file + ": not a readable PNG or JPEG image");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int outW = size != null ? size[0] : roundTo(w, multiple);
        int outH = size != null ? size[1] : roundTo(h, multiple);
        float[][] planes = Resample.rgbPlanes(img);
        float[] out = new float[3 * outW * outH];
        for (int c = 0; c < 3; c++) {
            float[] r = outW == w && outH == h ? planes[c] : Resample.resize(planes[c], w, h, outW, outH);
            for (int i = 0; i < r.length; i++) {
                out[c * outW * outH + i] = Math.max(0, Math.min(255, r[i])) / 127.5f - 1f;
            }
        }
        return Ops.array(new Tensor(new long[] {1, 3, outH, outW}, out));
    }

    static List<Path> imageFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> Files.isRegularFile(p) && IMAGE_EXTENSIONS.stream()
                    .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e))).sorted().toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new UserError(dir + ": no .png or .jpg images");
        }
        if (files.stream().map(TranslateJob::stem).distinct().count() < files.size()) {
            throw new UserError(dir + ": two images share a name before the extension (their PNGs would collide)");
        }
        return files;
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }
}
