package io.ukiyoe.training.distill;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.PairDataset;
import io.ukiyoe.graphs.cyclegan.NormalInit;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pix2pixhd.DiscriminatorConfig;
import io.ukiyoe.graphs.pix2pixhd.GeneratorConfig;
import io.ukiyoe.graphs.pix2pixhd.GlobalGeneratorConfig;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDTranslator;
import io.ukiyoe.graphs.vision.VggFeatures;
import io.ukiyoe.training.Checkpoint;
import io.ukiyoe.training.StepLog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ukiyoe distill train}: a pix2pixHD student on aligned pairs. Writes {@code metrics.jsonl} (and
 * TensorBoard events) with every loss term per step; every {@code snapshots.every_steps} the held-out
 * error ({@code heldout_l1} = mean |student(A) - B| over the held-out pairs, beside
 * {@code heldout_l1_input} = mean |A - B|), a sample grid {@code samples<step>.png} (A | student | B per
 * held-out pair) and a {@link DistillCheckpoint} (the newest {@code snapshots.keep} kept); at the end
 * {@code student.safetensors} (a pix2pixHD generator file: {@code ukiyoe translate} takes it) and
 * {@code discriminator.safetensors}. Run folders, atomic checkpoints, exact resume and the stop on a
 * non-finite loss or weight work as in {@code ukiyoe train}.
 */
public final class DistillJob {
    /** Settings that {@code --resume} may change with {@code --set}: they do not alter the steps already taken. */
    public static final List<String> RESUMABLE_OVERRIDES = List.of("snapshots.every_steps", "snapshots.keep",
            "snapshots.samples", "snapshots.tensorboard", "snapshots.metrics", "metrics.inception", "metrics.batch",
            "metrics.kid_subsets", "metrics.kid_subset_size");
    /** What {@code snapshots.metrics} may list. */
    public static final List<String> METRICS = List.of("fid", "kid");
    public static final String STUDENT = "student.safetensors";
    public static final String DISCRIMINATOR = "discriminator.safetensors";

    private static final String COMMAND = "ukiyoe distill train";

    private DistillJob() {}

    /**
     * Checks what can be checked before a run folder exists: the schedule, that the named files are there,
     * that {@code init_from} is a pix2pixHD generator of RGB images, and the pairs folder's layout.
     */
    public static void validate(ExperimentConfig<DistillConfig> cfg) {
        checkSettings(cfg);
        if (cfg.value().initFrom() != null) {
            startingGenerator(cfg.value());
        }
    }

    private static void checkSettings(ExperimentConfig<DistillConfig> cfg) {
        DistillConfig c = cfg.value();
        if (c.training().niter() + c.training().niterDecay() < 1) {
            throw cfg.bound().error("training.niter", "niter + niter_decay must be at least 1");
        }
        if (!List.of("global", "local").contains(c.model().netG())) {
            throw cfg.bound().error("model.netG", "must be global or local, got '" + c.model().netG() + "'");
        }
        if (c.training().niterFixGlobal() > 0 && !c.model().netG().equals("local")) {
            throw cfg.bound().error("training.niter_fix_global", "only a local generator (model.netG: local) has a global part to fix");
        }
        for (String m : c.snapshots().metrics()) {
            if (!METRICS.contains(m)) {
                throw cfg.bound().error("snapshots.metrics", "unknown metric '" + m + "' (known: fid, kid)");
            }
        }
        if (!c.snapshots().metrics().isEmpty()) {
            if (c.metrics().inception() == null) {
                throw cfg.bound().error("snapshots.metrics", "FID and KID need metrics.inception: the Inception weights "
                        + "file (pt_inception-2015-12-05-6726825d.pth)");
            }
            if (c.data().heldOut() < 2) {
                throw cfg.bound().error("data.held_out", "FID and KID of the student need at least 2 held-out pairs, got "
                        + c.data().heldOut());
            }
        }
        for (String[] f : new String[][] {{"init_from", c.initFrom()}, {"vgg19", c.vgg19()}, {"metrics.inception",
                c.snapshots().metrics().isEmpty() ? null : c.metrics().inception()}}) {
            if (f[1] != null && !Files.isRegularFile(Path.of(f[1]))) {
                throw cfg.bound().error(f[0], f[1] + ": no such file");
            }
        }
        Path pairs = Path.of(c.data().pairs());
        for (String side : List.of(PairDataset.A, PairDataset.B)) {
            if (!Files.isDirectory(pairs.resolve(side))) {
                throw cfg.bound().error("data.pairs", pairs + ": no " + side + "/ folder (pix2pixHD's aligned layout: "
                        + PairDataset.A + "/ and " + PairDataset.B + "/ with the same file names)");
            }
        }
    }

    /**
     * The student to start from: a fresh one of the config's architecture, or {@code init_from}'s generator
     * (its architecture wins); with {@code netG: local} and a global {@code init_from}, a local student
     * whose global part is that generator without its final conv (pix2pixHD's {@code --load_pretrain} of a
     * global run) and whose enhancer is fresh.
     */
    static Pix2PixHDFiles.GeneratorNet startingGenerator(DistillConfig c) {
        DistillConfig.Model m = c.model();
        boolean local = m.netG().equals("local");
        if (c.initFrom() == null) {
            GeneratorConfig gc = local ? new GeneratorConfig(3, 3, m.ngf(), m.nDownsampling(), m.nBlocks(), 1, m.nBlocksLocal())
                    : GeneratorConfig.global(GlobalGeneratorConfig.of(3, 3, m.ngf(), m.nDownsampling(), m.nBlocks()));
            return new Pix2PixHDFiles.GeneratorNet(gc, NormalInit.init(gc.expectedShapes(), c.seed() * 31 + 1));
        }
        Path f = Path.of(c.initFrom());
        Pix2PixHDFiles.GeneratorNet g = Pix2PixHDFiles.readGenerator(f);
        GeneratorConfig gc = g.config();
        if (gc.inputNc() != 3 || gc.outputNc() != 3) {
            throw new UserError(f + ": the student maps " + gc.inputNc() + " to " + gc.outputNc()
                    + " channels; RGB pairs need 3 to 3");
        }
        if (!local || gc.nLocalEnhancers() > 0) {
            return g;
        }
        if (gc.ngf() % 2 != 0) {
            throw new UserError(f + ": a global generator of ngf " + gc.ngf() + " cannot be the global part of a local one "
                    + "(that has 2 x the enhancer's ngf)");
        }
        GeneratorConfig lc = new GeneratorConfig(3, 3, gc.ngf() / 2, gc.nDownsampling(), gc.nBlocks(), 1, m.nBlocksLocal());
        LinkedHashMap<String, Tensor> t = NormalInit.init(lc.expectedShapes(), c.seed() * 31 + 1);
        t.replaceAll((k, v) -> k.startsWith("model/") ? g.tensors().get(k) : v);
        return new Pix2PixHDFiles.GeneratorNet(lc, t);
    }

    static DiscriminatorConfig discriminator(DistillConfig c) {
        return new DiscriminatorConfig(6, c.model().ndf(), c.model().nLayers(), c.model().numD(), true);
    }

    /** The VGG19 slices pix2pixHD's VGG loss needs, or null when {@code vgg19} is not set. */
    static Map<String, Tensor> vgg(DistillConfig c) {
        if (c.vgg19() == null) {
            return null;
        }
        Path f = Path.of(c.vgg19());
        Map<String, Tensor> all = Pix2PixHDFiles.readStateDict(f);
        return Pickles.orFail(f, () -> VggFeatures.pix2pixHD().select(all));
    }

    static DistillTrainer.Settings settings(DistillConfig c, int pairs) {
        DistillConfig.Training t = c.training();
        long perEpoch = t.epochSteps() != null ? t.epochSteps() : Math.max(1, (pairs + t.batch() - 1) / t.batch());
        return new DistillTrainer.Settings(t.learningRate(), t.beta1(), t.niter(), t.niterDecay(), perEpoch, t.lambdaFeat(),
                t.lambdaL1(), c.augment(), c.seed()).fixingGlobalFor(t.niterFixGlobal());
    }

    /** The newest complete checkpoint of a run folder. */
    public static Map.Entry<Path, DistillCheckpoint.Contents> lastCheckpoint(RunFolder run) {
        return DistillCheckpoint.latest(run.dir(), run::log).orElseThrow(() -> new UserError(run.dir()
                + ": no complete checkpoint to resume from (the first is written after snapshots.every_steps)"));
    }

    /** Trains from the start of the config; {@code total} hears the run's step count once the data is open. */
    public static Pix2PixHDFiles.GeneratorNet run(ExperimentConfig<DistillConfig> cfg, RunFolder run, IntConsumer total,
                                                  IntConsumer progress) {
        return train(cfg, run, null, total, progress);
    }

    /** Continues a run from a checkpoint read with {@link #lastCheckpoint}. */
    public static Pix2PixHDFiles.GeneratorNet resume(ExperimentConfig<DistillConfig> cfg, RunFolder run,
                                                     DistillCheckpoint.Contents from, IntConsumer total, IntConsumer progress) {
        return train(cfg, run, from, total, progress);
    }

    /** Trains from the start ({@code from} null) or continues from a checkpoint read with {@link #lastCheckpoint}. */
    public static Pix2PixHDFiles.GeneratorNet train(ExperimentConfig<DistillConfig> cfg, RunFolder run,
                                                     DistillCheckpoint.Contents from, IntConsumer total, IntConsumer progress) {
        return train(cfg, run, from, StudentMetrics.NONE, total, progress);
    }

    /**
     * As {@link #train(ExperimentConfig, RunFolder, DistillCheckpoint.Contents, IntConsumer, IntConsumer)},
     * with {@code metrics} (the config's {@code snapshots.metrics}, wired by the caller) logged at every
     * snapshot beside the held-out errors.
     */
    public static Pix2PixHDFiles.GeneratorNet train(ExperimentConfig<DistillConfig> cfg, RunFolder run,
                                                     DistillCheckpoint.Contents from, StudentMetrics metrics,
                                                     IntConsumer total, IntConsumer progress) {
        DistillConfig c = cfg.value();
        checkSettings(cfg);
        int batch = c.training().batch();
        DistillConfig.Data d = c.data();
        try (PairDataset pairs = PairDataset.open(Path.of(d.pairs()), d.size() == null ? 0 : d.size(), d.heldOut())) {
            // the checkpoint has the networks: a run resumes even if its init_from file moved
            Pix2PixHDFiles.GeneratorNet start = from == null ? startingGenerator(c)
                    : new Pix2PixHDFiles.GeneratorNet(from.g(), new LinkedHashMap<>(from.state().g()));
            GeneratorConfig gc = start.config();
            DiscriminatorConfig dc = from == null ? discriminator(c) : from.d();
            Map<String, Tensor> dt = from == null ? NormalInit.init(dc.expectedShapes(), c.seed() * 31 + 2) : from.state().d();
            checkSize(cfg, pairs.resolution(), gc);
            DistillTrainer.Settings s = settings(c, pairs.size());
            DistillTrainer trainer = new DistillTrainer(gc, start.tensors(), dc, dt, vgg(c), s);
            BatchLoader.Position pos = new BatchLoader.Position(0, 0);
            if (from != null) {
                trainer.restore(from.state());
                pos = from.loader();
            }
            long first = trainer.steps();
            long steps = s.totalSteps();
            total.accept((int) steps);
            long every = c.snapshots().everySteps();
            INDArray[] held = heldOut(pairs);
            try (BatchLoader loader = new BatchLoader(pairs, batch, c.seed(), pos, 4);
                 StepLog log = new StepLog(run, first, c.snapshots().tensorboard(), COMMAND)) {
                for (long i = first; i < steps; i++) {
                    DistillTrainer.StepLosses l = trainer.step(loader.next());
                    long epoch = i / s.stepsPerEpoch() + 1;
                    log.step(i + 1, epoch, l.lr(), l.losses(), batch);
                    if ((i + 1) % every == 0 || i + 1 == steps) {
                        DistillTrainer.State st = trainer.state();
                        log.checkFinite(i + 1, "G", st.g());
                        log.checkFinite(i + 1, "D", st.d());
                        INDArray student = translate(gc, st.g(), held[0]);
                        Map<String, Double> values = heldOutErrors(held, student);
                        values.putAll(metrics.of(student, held[1]));
                        log.snapshot(i + 1, values);
                        writeSamples(held, student, c.snapshots().samples(), run.resolve(String.format("samples%08d.png", i + 1)));
                        DistillCheckpoint.write(run.resolve(Checkpoint.fileName(i + 1)), st, loader.position(), cfg.resolvedYaml());
                        Checkpoint.prune(run.dir(), c.snapshots().keep());
                        log.checkpointed(i + 1);
                        run.log("checkpoint " + Checkpoint.fileName(i + 1) + " (epoch " + epoch + ")");
                    }
                    progress.accept((int) (i + 1));
                }
            }
            Pix2PixHDFiles.GeneratorNet out = new Pix2PixHDFiles.GeneratorNet(gc, trainer.generator());
            writeNetworks(out, dc, trainer.state().d(), run, cfg.resolvedYaml(), trainer.steps());
            return out;
        }
    }

    private static void checkSize(ExperimentConfig<DistillConfig> cfg, int res, GeneratorConfig gc) {
        if (res % gc.sizeMultiple() != 0) {
            throw cfg.bound().error("data.size", "the pairs are used at " + res + " px, which the student ("
                    + gc.describe() + ") cannot take: it needs a multiple of " + gc.sizeMultiple());
        }
    }

    /** The held-out pairs as {A, B} batches [n, 3, R, R]. */
    static INDArray[] heldOut(PairDataset pairs) {
        int n = pairs.heldOutNames().size();
        int res = pairs.resolution();
        float[] all = new float[n * 6 * res * res];
        for (int i = 0; i < n; i++) {
            float[] p = pairs.heldOut(i);
            System.arraycopy(p, 0, all, i * p.length, p.length);
        }
        INDArray x = Nd4j.create(all, new long[] {n, 6, res, res}, DataType.FLOAT);
        return new INDArray[] {DistillTrainer.half(x, 0), DistillTrainer.half(x, 1)};
    }

    /** The student's output for a batch at the given weights, {@value #EVAL_BATCH} images at a time (memory). */
    static INDArray translate(GeneratorConfig gc, Map<String, Tensor> g, INDArray a) {
        Pix2PixHDTranslator t = new Pix2PixHDTranslator(new Pix2PixHDFiles.GeneratorNet(gc, new LinkedHashMap<>(g)));
        List<INDArray> parts = new ArrayList<>();
        for (long i = 0; i < a.size(0); i += EVAL_BATCH) {
            parts.add(t.translate(a.get(NDArrayIndex.interval(i, Math.min(a.size(0), i + EVAL_BATCH)), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup()).dup());
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private static final int EVAL_BATCH = 8;

    /** Mean |student(A) - B| and, for scale, mean |A - B| over the held-out pairs. */
    static Map<String, Double> heldOutErrors(INDArray[] held, INDArray student) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("heldout_l1", student.sub(held[1]).amean().getDouble(0));
        m.put("heldout_l1_input", held[0].sub(held[1]).amean().getDouble(0));
        return m;
    }

    /** One row per held-out pair (up to {@code rows}): A | student | B. */
    static void writeSamples(INDArray[] held, INDArray student, int rows, Path file) {
        List<BufferedImage> cells = new ArrayList<>();
        for (int r = 0; r < Math.min(rows, held[0].size(0)); r++) {
            for (INDArray x : new INDArray[] {held[0], student, held[1]}) {
                cells.add(Images.toImage(x.get(NDArrayIndex.point(r))));
            }
        }
        try {
            Images.writePng(file, Images.grid(cells, 3, List.of("A", "student", "B")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The student (pix2pixHD generator file) and the discriminator, with their provenance. */
    static void writeNetworks(Pix2PixHDFiles.GeneratorNet g, DiscriminatorConfig dc, Map<String, Tensor> d, RunFolder run,
                              String trainConfig, long steps) {
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "ukiyoe distill train: student after step " + steps + " (" + run.dir().getFileName() + ")");
        meta.put("train_config", trainConfig);
        new NetworkFile(Pix2PixHDFiles.FORMAT, Pix2PixHDFiles.FORMAT_VERSION, Pix2PixHDFiles.configJson(g.config()),
                g.tensors(), meta).write(run.resolve(STUDENT));
        LinkedHashMap<String, String> dMeta = new LinkedHashMap<>(meta);
        dMeta.put("source", "ukiyoe distill train: discriminator after step " + steps + " (" + run.dir().getFileName() + ")");
        new NetworkFile(Pix2PixHDFiles.FORMAT, Pix2PixHDFiles.FORMAT_VERSION, Pix2PixHDFiles.configJson(dc),
                new LinkedHashMap<>(d), dMeta).write(run.resolve(DISCRIMINATOR));
    }
}
