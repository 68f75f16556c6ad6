package io.ukiyoe.graphs.generate;

import io.ukiyoe.graphs.stylegan2.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rows {@code ukiyoe generate} renders: a file name, W+ latents and a random-noise seed per row,
 * from seeds, z or W+ arrays. Mapping and rendering run in batches; a row's latents and image do not
 * depend on the batch size.
 *
 * @param names      file stem of each row ({@code seed0042}, or {@code img0003} for array inputs)
 * @param ws         [N, num_ws, w_dim]
 * @param noiseSeeds random noise of row i is drawn from noiseSeeds[i]
 */
public record Latents(List<String> names, INDArray ws, long[] noiseSeeds) {
    public Latents {
        if (names.size() != ws.size(0) || noiseSeeds.length != ws.size(0)) {
            throw new IllegalArgumentException(names.size() + " names and " + noiseSeeds.length + " noise seeds for "
                    + ws.size(0) + " rows");
        }
        names = List.copyOf(names);
    }

    /** Receives each rendered image [3, R, R] with its row. */
    public interface Sink {
        void accept(int row, INDArray image) throws java.io.IOException;
    }

    /**
     * Seeds: z = {@code RandomState(seed).randn(z_dim)} ({@link SeedImages#z}), rows named
     * {@code seedNNNN}, random noise of a seed's image drawn from seed + noiseSeed.
     */
    public static Latents ofSeeds(Generator g, List<Long> seeds, long noiseSeed, Generator.Truncation t, INDArray mixZ,
                                  int mixIndex, int batch) {
        List<String> names = new ArrayList<>();
        long[] noise = new long[seeds.size()];
        for (int i = 0; i < seeds.size(); i++) {
            names.add(String.format(Locale.ROOT, "seed%04d", seeds.get(i)));
            noise[i] = seeds.get(i) + noiseSeed;
        }
        return new Latents(names, mapped(g, SeedImages.z(seeds, g.config().zDim()), t, mixZ, mixIndex, batch), noise);
    }

    /** z rows [N, z_dim] (truncated, optionally mixed with mixZ from layer mixIndex), named imgNNNN, noise seed 0. */
    public static Latents ofZ(Generator g, INDArray z, Generator.Truncation t, INDArray mixZ, int mixIndex, int batch) {
        return new Latents(rowNames(z.size(0)), mapped(g, z, t, mixZ, mixIndex, batch), new long[(int) z.size(0)]);
    }

    /** W+ rows [N, num_ws, w_dim] used as given, named imgNNNN, noise seed 0. */
    public static Latents ofWs(INDArray ws) {
        return new Latents(rowNames(ws.size(0)), ws, new long[(int) ws.size(0)]);
    }

    /** The rows as a noise mode renders them: only random noise uses the seeds (the others record 0). */
    public Latents forNoise(Generator.NoiseMode mode) {
        return mode == Generator.NoiseMode.RANDOM ? this : new Latents(names, ws, new long[noiseSeeds.length]);
    }

    /** Renders the rows in batches of {@code batch}, in order; {@code done} hears the rows rendered so far. */
    public void render(Generator g, Generator.NoiseMode mode, int batch, Sink sink, java.util.function.LongConsumer done)
            throws java.io.IOException {
        long n = ws.size(0);
        for (long s = 0; s < n; s += batch) {
            long e = Math.min(n, s + batch);
            INDArray img = g.synthesis(ws.get(NDArrayIndex.interval(s, e), NDArrayIndex.all(), NDArrayIndex.all()).dup(),
                    mode, Arrays.copyOfRange(noiseSeeds, (int) s, (int) e));
            for (long i = s; i < e; i++) {
                sink.accept((int) i, img.get(NDArrayIndex.point(i - s), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()));
            }
            done.accept(e);
        }
    }

    private static INDArray mapped(Generator g, INDArray z, Generator.Truncation t, INDArray mixZ, int mixIndex, int batch) {
        INDArray ws = Nd4j.create(DataType.FLOAT, z.size(0), g.config().numWs(), g.config().wDim());
        for (long s = 0; s < z.size(0); s += batch) {
            long e = Math.min(z.size(0), s + batch);
            var rows = NDArrayIndex.interval(s, e);
            INDArray part = g.ws(z.get(rows, NDArrayIndex.all()), t, mixZ == null ? null : mixZ.get(rows, NDArrayIndex.all()),
                    mixIndex);
            ws.get(rows, NDArrayIndex.all(), NDArrayIndex.all()).assign(part);
        }
        return ws;
    }

    private static List<String> rowNames(long n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(String.format(Locale.ROOT, "img%04d", i));
        }
        return names;
    }
}
