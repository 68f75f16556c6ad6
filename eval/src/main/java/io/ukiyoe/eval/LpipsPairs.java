package io.ukiyoe.eval;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Decoder;
import io.ukiyoe.data.ImageSource;
import io.ukiyoe.data.Resample;
import io.ukiyoe.graphs.vision.Lpips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * LPIPS between two image sets pair by pair ({@code ukiyoe eval lpips}): each set is a float32
 * {@code .npy} [N, 3, H, W] in [-1, 1] (used as is) or an image folder / .zip (sorted names, pixels
 * mapped to [-1, 1] by {@code x / 127.5 - 1}, at their own size: pair i needs one size on both sides).
 */
public final class LpipsPairs {
    private LpipsPairs() {}

    /** One set of images: count and the i-th as [1, 3, H, W]. */
    interface Images extends AutoCloseable {
        int size();

        INDArray get(int i);

        String name(int i);

        @Override
        default void close() {}
    }

    /**
     * The distance of each pair, in order; {@code progressFor} is given the number of pairs and returns
     * what is told the number done after each pass.
     */
    public static double[] distances(Lpips lpips, Path a, Path b, int batch, LongFunction<LongConsumer> progressFor) {
        try (Images ia = open(a); Images ib = open(b)) {
            return distances(lpips, ia, ib, a, batch, progressFor);
        }
    }

    private static double[] distances(Lpips lpips, Images ia, Images ib, Path a, int batch,
                                      LongFunction<LongConsumer> progressFor) {
        if (ia.size() != ib.size()) {
            throw new UserError("--a has " + ia.size() + " images and --b " + ib.size() + ": LPIPS compares pairs");
        }
        if (ia.size() == 0) {
            throw new UserError(a + ": no images");
        }
        double[] out = new double[ia.size()];
        LongConsumer progress = progressFor.apply(out.length);
        int i = 0;
        while (i < out.length) {
            // a batch of consecutive pairs of one size
            List<INDArray> xa = new ArrayList<>();
            List<INDArray> xb = new ArrayList<>();
            long[] shape = null;
            int start = i;
            while (i < out.length && xa.size() < batch) {
                INDArray p = ia.get(i);
                INDArray q = ib.get(i);
                if (!Arrays.equals(p.shape(), q.shape())) {
                    throw new UserError("pair " + i + " (" + ia.name(i) + ", " + ib.name(i) + ") has two sizes: "
                            + size(p) + " and " + size(q));
                }
                if (shape != null && !Arrays.equals(shape, p.shape())) {
                    break;
                }
                shape = p.shape();
                xa.add(p);
                xb.add(q);
                i++;
            }
            INDArray d = lpips.distances(Nd4j.concat(0, xa.toArray(INDArray[]::new)),
                    Nd4j.concat(0, xb.toArray(INDArray[]::new)));
            for (int k = 0; k < xa.size(); k++) {
                out[start + k] = d.getDouble(k);
            }
            progress.accept(i);
        }
        return out;
    }

    private static String size(INDArray x) {
        return x.size(3) + "x" + x.size(2);
    }

    static Images open(Path p) {
        if (Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            Tensor t = Npy.read(p);
            long[] s = t.shape();
            if (s.length != 4 || s[1] != 3) {
                throw new UserError(p + ": expected float32 images [N, 3, H, W] in [-1, 1], got shape " + t.shapeString());
            }
            INDArray all = Nd4j.create(t.data(), s, 'c');
            return new Images() {
                public int size() {
                    return Math.toIntExact(s[0]);
                }

                public INDArray get(int i) {
                    return all.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()).dup();
                }

                public String name(int i) {
                    return p.getFileName() + "[" + i + "]";
                }
            };
        }
        ImageSource src = ImageSource.open(p);
        List<String> names = src.names();
        return new Images() {
            public int size() {
                return names.size();
            }

            public INDArray get(int i) {
                var img = Decoder.decode(src.bytes(names.get(i)));
                if (img == null) {
                    throw new UserError(p.resolve(names.get(i)) + ": not a readable image");
                }
                return toTensor(img);
            }

            public String name(int i) {
                return names.get(i);
            }

            @Override
            public void close() {
                src.close();
            }
        };
    }

    /** An image as [1, 3, H, W] in [-1, 1] ({@code x / 127.5 - 1}), no resizing. */
    public static INDArray toTensor(java.awt.image.BufferedImage img) {
        float[][] planes = Resample.rgbPlanes(img);
        int hw = planes[0].length;
        float[] data = new float[3 * hw];
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < hw; k++) {
                data[c * hw + k] = planes[c][k] / 127.5f - 1f;
            }
        }
        return Nd4j.create(data, new long[] {1, 3, img.getHeight(), img.getWidth()}, DataType.FLOAT);
    }
}
