package io.ukiyoe.training.distill;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Shipped;
import io.ukiyoe.core.cluster.WorkerCache;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.data.Structure;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ukiyoe distill pairs}: pair i renders seed i through the base model (A) and the blended
 * model (B) exactly as {@code ukiyoe generate --seeds i} renders it (numpy z, truncation, noise,
 * the same 8-bit conversion), resized with the data module's Lanczos when {@code size} is not the
 * models' resolution. Files go into pix2pixHD's aligned layout, {@code train_A/NNNNNN.png} and
 * {@code train_B/NNNNNN.png} named after the seed, plus {@code latents/shard-KKKKK.npy} (the z of the
 * shard's written pairs, in name order) and the {@link PairsManifest}. Every file is written
 * atomically and a shard counts as done only once the manifest lists it, so an interrupted run
 * continues with its first incomplete shard and ends with the same bytes as an uninterrupted one.
 */
public final class PairsJob {
    public static final String DIR_A = "train_A";
    public static final String DIR_B = "train_B";
    public static final String LATENTS = "latents";
    /** Side of the area-downsampled copies the structure filter compares (as eval's structure metric). */
    static final int STRUCTURE_PX = 16;

    private PairsJob() {}

    /** Told how the run goes; the command line draws its progress bar from it. */
    public interface Listener {
        /** Before the first pair: pairs in the run and pairs already done by an earlier, interrupted run. */
        default void started(long total, long alreadyDone) {}

        /** After each batch: pairs rendered by this run so far. */
        default void rendered(long pairs) {}

        /** After a shard is complete and recorded in the manifest. */
        default void shardDone(int shard, int shards) {}
    }

    /** What the run did: pairs written and dropped over all shards, shards done now and before. */
    public record Summary(long written, long dropped, int shards, int shardsBefore) {}

    /** Checks the config without rendering (for {@code ukiyoe check}). */
    public static void validate(PairsConfig c) {
        if (c.seeds().size() == 0) {
            throw new UserError("seeds: no seeds");
        }
        if (new HashSet<>(c.seeds().values()).size() != c.seeds().size()) {
            throw new UserError("seeds: '" + c.seeds() + "' names a seed twice (pair files are named after the seed)");
        }
        Map<String, String> required = new LinkedHashMap<>();
        required.put("base", c.base());
        required.put("blended", c.blended());
        required.put("out", c.out());
        required.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                throw new UserError(key + ": must name a file or folder, got an empty value");
            }
        });
        for (String model : List.of(c.base(), c.blended())) {
            Path p = Path.of(model);
            if (!Files.isRegularFile(p)) {
                throw new UserError(p + ": " + (Files.isDirectory(p) ? "is a folder, not a model file" : "no such model file"));
            }
        }
        Path out = Path.of(c.out());
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError(out + ": exists and is not a folder");
        }
    }

    /** The run in this JVM. */
    public static Summary run(PairsConfig c, Listener listener) {
        return run(c, listener, Cluster.local());
    }

    /**
     * The run with a task per shard on {@code cluster}. Shards go out in waves of the cluster's
     * parallelism and the manifest (written here only) records each wave's shards in order, so a resume
     * continues from the first shard it does not list; a shard rendered again writes the same bytes.
     */
    public static Summary run(PairsConfig given, Listener listener, Cluster cluster) {
        validate(given);
        PairsConfig c = absolute(given);            // workers may start elsewhere: every path as the driver sees it
        Path out = Path.of(c.out());
        Path basePath = Path.of(c.base());
        Path blendedPath = Path.of(c.blended());
        // the models by path, size and time (the manifest hashes their contents once)
        String key = "pairs " + WorkerCache.fileKey(basePath) + " " + WorkerCache.fileKey(blendedPath) + " " + c.noise();
        Renderers r = WorkerCache.get(key, () -> Renderers.of(c));   // here too: the models' checks come first
        int size = c.size() == null ? r.resolution() : c.size();
        PairsManifest manifest = PairsManifest.open(out, PairsManifest.expected(given, Path.of(given.base()),
                Path.of(given.blended()), size, r.resolution()));
        int shards = manifest.shards();
        int before = manifest.shardsDone().size();
        long total = c.seeds().size();
        long doneBefore = manifest.shardsDone().stream().mapToLong(PairsManifest.Shard::pairs).sum();
        listener.started(total, doneBefore);
        createFolders(out);
        manifest.write(out);                       // from now on the folder is a pairs folder a resume accepts
        removeUnfinishedFiles(out);
        String config = Shipped.config(c);
        long[] rendered = {0};
        for (int k = before; k < shards; k += cluster.parallelism()) {
            List<ShardWork> wave = new ArrayList<>();
            for (int j = k; j < Math.min(shards, k + cluster.parallelism()); j++) {
                wave.add(new ShardWork(config, j, key));
            }
            List<PairsManifest.Shard> done;
            if (cluster == Cluster.local()) {        // the same function, with a progress report per batch
                long start = rendered[0];
                done = List.of(renderShard(wave.get(0), n -> listener.rendered(start + n)).shard());
            } else {
                long start = rendered[0];
                int shardSize = c.shardSize();
                done = cluster.map(wave, w -> renderShard(w, n -> { }), n -> listener.rendered(start + (long) n * shardSize))
                        .stream().map(ShardResult::shard).toList();
            }
            for (PairsManifest.Shard shard : done) {
                rendered[0] += shard.pairs();
                listener.rendered(rendered[0]);
                manifest = manifest.withShard(shard);
                manifest.write(out);
                listener.shardDone(shard.index(), shards);
            }
        }
        WorkerCache.evict(key);
        long written = manifest.shardsDone().stream().mapToLong(PairsManifest.Shard::written).sum();
        return new Summary(written, manifest.shardsDone().stream().mapToLong(s -> s.dropped().size()).sum(), shards, before);
    }

    /** One shard, as a worker receives it: the config as text and the key of its loaded models. */
    record ShardWork(String config, int shard, String modelsKey) implements Serializable {}

    /** What a worker sends back: the shard's manifest entry (its files are written by then). */
    record ShardResult(int index, long firstSeed, int pairs, int written, ArrayList<Long> dropped, String latents)
            implements Serializable {
        PairsManifest.Shard shard() {
            return new PairsManifest.Shard(index, firstSeed, pairs, written, dropped, latents);
        }
    }

    /** The two generators of a run and what rendering needs of the models, loaded once per JVM. */
    record Renderers(Generator a, Generator b, int resolution, int zDim) {
        static Renderers of(PairsConfig c) {
            Path basePath = Path.of(c.base());
            Path blendedPath = Path.of(c.blended());
            StyleGanModel base = Importer.importFile(basePath, Importer.Format.AUTO);
            StyleGanModel blended = Importer.importFile(blendedPath, Importer.Format.AUTO);
            StyleGanConfig bc = base.config();
            StyleGanConfig xc = blended.config();
            if (bc.resolution() != xc.resolution() || bc.zDim() != xc.zDim()) {
                throw new UserError(blendedPath + ": " + xc.resolution() + " px, z_dim " + xc.zDim() + ", but the base "
                        + basePath + " is " + bc.resolution() + " px, z_dim " + bc.zDim()
                        + " (one latent renders both: they must match)");
            }
            return new Renderers(new Generator(base),
                    new Generator(c.noise() == PairsConfig.Noise.CONST ? withNoiseOf(blended, base) : blended),
                    bc.resolution(), bc.zDim());
        }
    }

    /** Renders and writes shard {@code w.shard()}; {@code rendered} hears the pairs done within the shard. */
    static ShardResult renderShard(ShardWork w, LongConsumer rendered) {
        PairsConfig c = Shipped.config(w.config(), PairsConfig.class);
        Renderers r = WorkerCache.get(w.modelsKey(), () -> Renderers.of(c));
        Path out = Path.of(c.out());
        int size = c.size() == null ? r.resolution() : c.size();
        Generator.NoiseMode mode = switch (c.noise()) {
            case CONST -> Generator.NoiseMode.CONST;
            case RANDOM -> Generator.NoiseMode.RANDOM;
            case NONE -> Generator.NoiseMode.NONE;
        };
        Generator.Truncation truncation = new Generator.Truncation(c.truncation(), null);
        int k = w.shard();
        int from = k * c.shardSize();
        List<Long> seeds = c.seeds().values().subList(from, (int) Math.min(c.seeds().size(), (long) from + c.shardSize()));
        List<float[]> kept = new ArrayList<>();
        ArrayList<Long> dropped = new ArrayList<>();
        for (int s = 0; s < seeds.size(); s += c.batch()) {
            List<Long> part = seeds.subList(s, Math.min(seeds.size(), s + c.batch()));
            INDArray z = SeedImages.z(part, r.zDim());
            long[] noiseSeeds = part.stream().mapToLong(Long::longValue).toArray(); // as 'generate --seeds' seeds random noise
            INDArray imgA = r.a().synthesis(r.a().ws(z, truncation, null, 0), mode, noiseSeeds);
            INDArray imgB = r.b().synthesis(r.b().ws(z, truncation, null, 0), mode, noiseSeeds);
            for (int i = 0; i < part.size(); i++) {
                INDArray pa = row(imgA, i);
                INDArray pb = row(imgB, i);
                if (c.filter() != null && structure(pa, pb, r.resolution()) < c.filter().minStructure()) {
                    dropped.add(part.get(i));
                    continue;
                }
                String name = fileName(part.get(i));
                writePng(out.resolve(DIR_A).resolve(name), pa, size);
                writePng(out.resolve(DIR_B).resolve(name), pb, size);
                kept.add(NdArrays.floats(row(z, i)));
            }
            rendered.accept(s + part.size());
        }
        String latents = LATENTS + "/" + String.format(Locale.ROOT, "shard-%05d.npy", k);
        writeLatents(out.resolve(latents), kept, r.zDim());
        return new ShardResult(k, seeds.get(0), seeds.size(), kept.size(), dropped, latents);
    }

    /** The config with its files as absolute paths. */
    private static PairsConfig absolute(PairsConfig c) {
        return new PairsConfig(abs(c.base()), abs(c.blended()), c.seeds(), c.truncation(), c.noise(), c.size(), c.shardSize(),
                c.batch(), c.filter(), abs(c.out()));
    }

    private static String abs(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** The file name of the pair of a seed, in train_A and train_B alike. */
    public static String fileName(long seed) {
        return String.format(Locale.ROOT, "%06d.png", seed);
    }

    /** Pearson correlation of A and B area-downsampled to 16 px, the structure eval compares blends by. */
    static double structure(INDArray a, INDArray b, int resolution) {
        int m = Math.min(STRUCTURE_PX, resolution);
        return Structure.correlation(Structure.downsample(NdArrays.floats(a), resolution, m),
                Structure.downsample(NdArrays.floats(b), resolution, m));
    }

    /**
     * The blended model with the base's constant noise maps, so both sides of a pair see the same noise
     * (blends usually copy them from the base; then this changes nothing).
     */
    static StyleGanModel withNoiseOf(StyleGanModel model, StyleGanModel noiseSource) {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.tensors());
        tensors.replaceAll((name, t) -> Names.parse(name).filter(Names.Parsed::isNoiseMap).isPresent()
                ? noiseSource.tensor(name) : t);
        return model.with(tensors, model.metadata());
    }

    private static INDArray row(INDArray x, int i) {
        return x.rank() == 4 ? x.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                : x.get(NDArrayIndex.point(i), NDArrayIndex.all());
    }

    /** The 8-bit picture 'generate' writes, resized with Lanczos to {@code size} when that differs. */
    private static void writePng(Path file, INDArray chw, int size) {
        BufferedImage img = Images.toImage(chw);
        if (img.getWidth() != size) {
            img = Images.toImage(Nd4j.create(Resample.toSquare(img, size, Resample.Fit.CROP), new long[] {3, size, size}));
        }
        try {
            Images.writePng(file, img);
        } catch (IOException e) {
            throw new UserError(file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    private static void writeLatents(Path file, List<float[]> z, int zDim) {
        float[] all = new float[z.size() * zDim];
        for (int i = 0; i < z.size(); i++) {
            System.arraycopy(z.get(i), 0, all, i * zDim, zDim);
        }
        try {
            Npy.write(file, new Tensor(new long[] {z.size(), zDim}, all));
        } catch (IOException e) {
            throw new UserError(file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    private static void createFolders(Path out) {
        for (String d : List.of(DIR_A, DIR_B, LATENTS)) {
            try {
                Files.createDirectories(out.resolve(d));
            } catch (IOException e) {
                throw new UserError(out.resolve(d) + ": cannot create the folder (" + e.getMessage() + ")");
            }
        }
    }

    /** Temporary files a killed run left behind (the finished files they were to become are rewritten). */
    private static void removeUnfinishedFiles(Path out) {
        for (String d : List.of(DIR_A, DIR_B, LATENTS, ".")) {
            try (Stream<Path> files = Files.list(out.resolve(d))) {
                for (Path f : files.toList()) {
                    String n = f.getFileName().toString();
                    if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(f)) {
                        Files.delete(f);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
