package io.ukiyoe.data.upscale;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.image.Upscaler;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.data.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code data upscale}: every image of a folder or zip through a super-resolution network (tiled, see
 * {@link TiledUpscaler}) to PNGs, or a float32 NCHW {@code .npy} batch to the raw output batch. The network
 * sees RGB planes in [0, 1] (ImageIO's channel order; no BGR swap), and outputs are clamped to [0, 1] and
 * rounded to 8 bits, as ESRGAN's {@code test.py} does.
 */
public final class UpscaleJob {
    /** The array {@link #npy} writes into its output folder. */
    public static final String NPY_OUT = "images.npy";

    private UpscaleJob() {}

    public record Summary(int images, int upscaled, List<String> skipped, double seconds) {}

    /** Upscales every image; unreadable files are skipped and listed. Outputs are named after the input, as PNG. */
    public static Summary images(Path images, Path out, Upscaler upscaler, IntConsumer progress) throws IOException {
        long t0 = System.nanoTime();
        try (ImageSource src = ImageSource.open(images)) {
            List<String> names = src.names();
            if (names.isEmpty()) {
                throw new UserError(images + ": no images (.png, .jpg, .jpeg) found");
            }
            Files.createDirectories(out);
            List<String> skipped = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                BufferedImage img = Decoder.decode(src.bytes(name));
                if (img == null) {
                    skipped.add(name);
                } else {
                    Images.writePng(out.resolve(outputName(name)), upscale(upscaler, img));
                }
                progress.accept(i + 1);
            }
            return new Summary(names.size(), names.size() - skipped.size(), skipped, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** {@code a/b.jpg} -> {@code a_b.png}: one flat folder of outputs. */
    static String outputName(String name) {
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        return stem.replace('/', '_') + ".png";
    }

    /** A float32 {@code [N, 3, H, W]} RGB batch for {@link #npy}, its shape checked (one-line errors). */
    public static Tensor readBatch(Path input) {
        if (!Files.isRegularFile(input)) {
            throw new UserError(input + ": no such file");
        }
        Tensor t = Npy.read(input);   // one-line UserErrors for unreadable files
        long[] s = t.shape();
        if (s.length != 4 || s[1] != 3 || s[0] < 1 || s[2] < 1 || s[3] < 1) {
            throw new UserError(input + ": expected a float32 [N, 3, H, W] RGB batch, got shape " + Arrays.toString(s));
        }
        return t;
    }

    /**
     * A batch from {@link #readBatch} to {@code out/images.npy}, {@code [N, 3, sH, sW]}, the raw (unclamped)
     * output; one sample at a time.
     */
    public static Summary npy(Tensor t, Path out, Upscaler upscaler, IntConsumer progress) throws IOException {
        long t0 = System.nanoTime();
        long[] s = t.shape();
        INDArray x = Nd4j.create(t.data(), s, DataType.FLOAT).reshape('c', s);
        int n = (int) s[0];
        int scale = upscaler.scale();
        long[] os = {n, 3, s[2] * scale, s[3] * scale};
        float[] all = new float[Math.toIntExact(Tensor.numel(os))];
        int per = all.length / n;
        for (int i = 0; i < n; i++) {
            INDArray y = upscaler.upscale(x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup('c'));
            if (y.length() != per) {
                throw new IllegalStateException("upscaler returned " + Arrays.toString(y.shape()) + ", expected "
                        + Arrays.toString(new long[] {1, 3, os[2], os[3]}));
            }
            System.arraycopy(NdArrays.floats(y), 0, all, i * per, per);
            progress.accept(i + 1);
        }
        Files.createDirectories(out);
        Npy.write(out.resolve(NPY_OUT), new Tensor(os, all));
        return new Summary(n, n, List.of(), (System.nanoTime() - t0) / 1e9);
    }

    /** One picture through the network: RGB planes in [0, 1], output clamped and rounded to 8 bits. */
    public static BufferedImage upscale(Upscaler upscaler, BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] v = new float[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                v[p] = ((row[x] >> 16) & 0xff) / 255f;
                v[plane + p] = ((row[x] >> 8) & 0xff) / 255f;
                v[2 * plane + p] = (row[x] & 0xff) / 255f;
            }
        }
        long[] shape = {1, 3, h, w};
        INDArray out = upscaler.upscale(Nd4j.create(v, shape, DataType.FLOAT).reshape('c', shape));
        long[] os = out.shape();
        if (os.length != 4 || os[1] != 3) {
            throw new IllegalStateException("upscaler returned " + Arrays.toString(os) + " for an RGB image");
        }
        int ow = (int) os[3];
        int oh = (int) os[2];
        float[] o = NdArrays.floats(out);
        int oplane = ow * oh;
        BufferedImage res = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        int[] line = new int[ow];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int p = y * ow + x;
                line[x] = (byte8(o[p]) << 16) | (byte8(o[oplane + p]) << 8) | byte8(o[2 * oplane + p]);
            }
            res.setRGB(0, y, ow, 1, line, 0, ow);
        }
        return res;
    }

    /** clamp(v, 0, 1) * 255, rounded: ESRGAN test.py's conversion back to 8 bits. */
    static int byte8(float v) {
        return (int) Math.round(Math.max(0f, Math.min(1f, v)) * 255.0);
    }
}
