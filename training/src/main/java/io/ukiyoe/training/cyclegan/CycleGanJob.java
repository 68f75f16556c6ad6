package io.ukiyoe.training.cyclegan;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.data.ImageDataset;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.graphs.cyclegan.PatchDiscriminatorConfig;
import io.ukiyoe.graphs.cyclegan.PatchDiscriminatorFamily;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pix2pixhd.GlobalGenerator;
import io.ukiyoe.graphs.pix2pixhd.GeneratorConfig;
import io.ukiyoe.graphs.pix2pixhd.GlobalGeneratorConfig;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.training.Checkpoint;
import io.ukiyoe.training.StepLog;
import io.ukiyoe.training.TrainJob;
import io.ukiyoe.training.cyclegan.CycleGanNets.Net;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ukiyoe cyclegan train}: a CycleGAN on two unpaired image sets. Writes {@code metrics.jsonl}
 * (every loss term per step), every {@code snapshots.every_steps} a sample grid ({@code samples<step>.png}:
 * per sample real_A | fake_B | rec_A | real_B | fake_A | rec_B) and a {@link CycleGanCheckpoint} (the
 * newest {@code snapshots.keep} kept), and at the end the four networks ({@code G_A.safetensors}, ...).
 * Run folders, atomic checkpoints, exact resume and the stop on a non-finite loss work as in
 * {@code ukiyoe train} ({@link TrainJob}, {@link Checkpoint}).
 */
public final class CycleGanJob {
    /** Settings that {@code --resume} may change with {@code --set}: they do not alter the steps already taken. */
    public static final List<String> RESUMABLE_OVERRIDES = List.of("snapshots.every_steps", "snapshots.keep",
            "snapshots.samples");

    private static final String COMMAND = "ukiyoe cyclegan train";

    private CycleGanJob() {}

    /** Checks what can be checked before a run folder exists. */
    public static void validate(ExperimentConfig<CycleGanConfig> cfg) {
        CycleGanConfig c = cfg.value();
        int crop = c.data().crop();
        if (crop > c.data().loadSize()) {
            throw cfg.bound().error("data.crop_size", "must be at most data.load_size (" + c.data().loadSize() + "), got " + crop);
        }
        if (crop % 4 != 0) {
            throw cfg.bound().error("data.crop_size", "the generators need a multiple of 4 (two stride-2 convs), got " + crop);
        }
        if (discriminator(c).outputSize(crop) < 1) {
            throw cfg.bound().error("model.n_layers", c.model().nLayers() + " layers leave no patch map at " + crop + " px");
        }
        if (c.training().nEpochs() + c.training().nEpochsDecay() < 1) {
            throw cfg.bound().error("training.n_epochs", "n_epochs + n_epochs_decay must be at least 1");
        }
    }

    static GlobalGeneratorConfig generator(CycleGanConfig c) {
        return GlobalGeneratorConfig.of(3, 3, c.model().ngf(), 2, c.model().nBlocks());
    }

    static PatchDiscriminatorConfig discriminator(CycleGanConfig c) {
        return new PatchDiscriminatorConfig(3, c.model().ndf(), c.model().nLayers());
    }

    /** Steps of a run: (n_epochs + n_epochs_decay) epochs of {@code epoch_steps} or the larger set / batch. */
    public static long steps(CycleGanConfig c, int sizeA, int sizeB) {
        return settings(c, sizeA, sizeB).totalSteps();
    }

    static CycleGanTrainer.Settings settings(CycleGanConfig c, int sizeA, int sizeB) {
        CycleGanConfig.Training t = c.training();
        long perEpoch = t.epochSteps() != null ? t.epochSteps()
                : Math.max(1, (Math.max(sizeA, sizeB) + t.batch() - 1) / t.batch());
        int crop = c.data().crop() == c.data().loadSize() ? 0 : c.data().crop();
        return new CycleGanTrainer.Settings(t.lambdas(), t.learningRate(), t.beta1(), t.poolSize(), t.nEpochs(),
                t.nEpochsDecay(), perEpoch, crop, c.seed());
    }

    private static ImageDataset open(CycleGanConfig c, String path) {
        return ImageDataset.open(Path.of(path), new ImageDataset.Options(c.data().loadSize(), Resample.Fit.CROP, c.data().xflip()));
    }

    /** The newest complete checkpoint of a run folder. */
    public static Map.Entry<Path, CycleGanCheckpoint.Contents> lastCheckpoint(RunFolder run) {
        return CycleGanCheckpoint.latest(run.dir(), run::log).orElseThrow(() -> new UserError(run.dir()
                + ": no complete checkpoint to resume from (the first is written after snapshots.every_steps)"));
    }

    /** Trains from the start of the config; {@code total} hears the run's step count once the data is open. */
    public static CycleGanNets run(ExperimentConfig<CycleGanConfig> cfg, RunFolder run, IntConsumer total, IntConsumer progress) {
        return train(cfg, run, null, total, progress);
    }

    /** Continues a run from a checkpoint read with {@link #lastCheckpoint}. */
    public static CycleGanNets resume(ExperimentConfig<CycleGanConfig> cfg, RunFolder run, CycleGanCheckpoint.Contents from,
                                      IntConsumer total, IntConsumer progress) {
        return train(cfg, run, from, total, progress);
    }

    /** Trains from the start ({@code from} null) or continues from a checkpoint read with {@link #lastCheckpoint}. */
    public static CycleGanNets train(ExperimentConfig<CycleGanConfig> cfg, RunFolder run, CycleGanCheckpoint.Contents from,
                                      IntConsumer total, IntConsumer progress) {
        CycleGanConfig c = cfg.value();
        validate(cfg);
        int batch = c.training().batch();
        try (ImageDataset dsA = open(c, c.data().a()); ImageDataset dsB = open(c, c.data().b())) {
            CycleGanTrainer.Settings s = settings(c, dsA.size(), dsB.size());
            CycleGanNets start = from == null ? CycleGanNets.init(generator(c), discriminator(c), c.seed())
                    : CycleGanNets.of(from.state().nets());
            CycleGanTrainer trainer = new CycleGanTrainer(start, s);
            BatchLoader.Position posA = new BatchLoader.Position(0, 0);
            BatchLoader.Position posB = new BatchLoader.Position(0, 0);
            if (from != null) {
                trainer.restore(from.state());
                posA = from.loaderA();
                posB = from.loaderB();
            }
            long first = trainer.steps();
            long steps = s.totalSteps();
            total.accept((int) steps);
            long every = c.snapshots().everySteps();
            INDArray[] samples = samples(c, dsA, dsB);
            try (BatchLoader la = new BatchLoader(dsA, batch, c.seed(), posA, 4);
                 BatchLoader lb = new BatchLoader(dsB, batch, c.seed() + 7_777, posB, 4);
                 StepLog log = new StepLog(run, first, false, COMMAND)) {
                for (long i = first; i < steps; i++) {
                    CycleGanTrainer.StepLosses l = trainer.step(la.next(), lb.next());
                    log.step(i + 1, i / s.stepsPerEpoch() + 1, l.lr(), l.losses(), batch);
                    if ((i + 1) % every == 0 || i + 1 == steps) {
                        CycleGanTrainer.State st = trainer.state();
                        for (Map.Entry<Net, Map<String, Tensor>> n : st.nets().entrySet()) {
                            log.checkFinite(i + 1, n.getKey().name(), n.getValue());
                        }
                        writeSamples(trainer.nets(), samples, run.resolve(String.format("samples%08d.png", i + 1)));
                        CycleGanCheckpoint.write(run.resolve(Checkpoint.fileName(i + 1)), st, la.position(), lb.position(),
                                cfg.resolvedYaml());
                        Checkpoint.prune(run.dir(), c.snapshots().keep());
                        log.checkpointed(i + 1);
                        run.log("checkpoint " + Checkpoint.fileName(i + 1) + " (epoch " + (i / s.stepsPerEpoch() + 1) + ")");
                        io.ukiyoe.data.charts.TrainingCurves.refresh(run.dir(), run::log);
                    }
                    progress.accept((int) (i + 1));
                }
            }
            CycleGanNets out = trainer.nets();
            writeNetworks(out, run, cfg.resolvedYaml(), trainer.steps());
            return out;
        }
    }

    /** The first {@code snapshots.samples} images of each set, centre-cropped to the crop size: the same every snapshot. */
    private static INDArray[] samples(CycleGanConfig c, ImageDataset a, ImageDataset b) {
        INDArray[] out = new INDArray[2];
        int crop = c.data().crop();
        int off = (c.data().loadSize() - crop) / 2;
        ImageDataset[] sets = {a, b};
        for (int d = 0; d < 2; d++) {
            int n = Math.min(c.snapshots().samples(), sets[d].files());
            List<INDArray> imgs = new ArrayList<>();
            for (int i = 0; i < sets[d].files() && imgs.size() < n; i++) {
                float[] img = sets[d].load(i);
                if (img != null) {
                    INDArray x = Nd4j.create(img, new long[] {1, 3, c.data().loadSize(), c.data().loadSize()}, DataType.FLOAT);
                    imgs.add(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(off, off + crop),
                            NDArrayIndex.interval(off, off + crop)).dup());
                }
            }
            out[d] = Nd4j.concat(0, imgs.toArray(INDArray[]::new));
        }
        return out;
    }

    /** The sample grid: one row per sample, real_A | fake_B | rec_A | real_B | fake_A | rec_B. */
    static void writeSamples(CycleGanNets nets, INDArray[] samples, Path file) {
        SameDiff sd = Graphs.create();
        Map<Net, TorchWeights> w = new LinkedHashMap<>();
        for (Net n : List.of(Net.G_A, Net.G_B)) {
            w.put(n, new TorchWeights(sd, nets.get(n), false, n.scope()));
        }
        SDVariable a = sd.constant("real_A", samples[0]);
        SDVariable b = sd.constant("real_B", samples[1]);
        SDVariable fakeB = sd.identity("fake_B", GlobalGenerator.forward(sd, a, nets.g(), w.get(Net.G_A), "model/"));
        sd.identity("rec_A", GlobalGenerator.forward(sd, fakeB, nets.g(), w.get(Net.G_B), "model/"));
        SDVariable fakeA = sd.identity("fake_A", GlobalGenerator.forward(sd, b, nets.g(), w.get(Net.G_B), "model/"));
        sd.identity("rec_B", GlobalGenerator.forward(sd, fakeA, nets.g(), w.get(Net.G_A), "model/"));
        Map<String, INDArray> o = sd.output(Map.of(), "fake_B", "rec_A", "fake_A", "rec_B");
        List<BufferedImage> cells = new ArrayList<>();
        long rows = Math.max(samples[0].size(0), samples[1].size(0));
        String[][] cols = {{"real_A", "fake_B", "rec_A"}, {"real_B", "fake_A", "rec_B"}};
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < 2; d++) {
                for (String k : cols[d]) {
                    INDArray x = k.startsWith("real") ? samples[d] : o.get(k);
                    cells.add(r < x.size(0) ? Images.toImage(x.get(NDArrayIndex.point(r))) : blank(samples[d]));
                }
            }
        }
        try {
            Images.writePng(file, Images.grid(cells, 6, List.of("real_A", "fake_B", "rec_A", "real_B", "fake_A", "rec_B")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage blank(INDArray like) {
        return new BufferedImage((int) like.size(3), (int) like.size(2), BufferedImage.TYPE_INT_RGB);
    }

    /** The four networks as model files: G_A/G_B in the pix2pixHD generator format, D_A/D_B as PatchGAN discriminators. */
    static void writeNetworks(CycleGanNets nets, RunFolder run, String trainConfig, long steps) {
        for (Net n : Net.values()) {
            LinkedHashMap<String, String> meta = new LinkedHashMap<>();
            meta.put("source", "ukiyoe cyclegan train: " + n + " after step " + steps + " (" + run.dir().getFileName() + ")");
            meta.put("train_config", trainConfig);
            // generators as pix2pixHD global generators (the same network): 'ukiyoe translate' takes them as they are
            NetworkFile f = n.generator()
                    ? new NetworkFile(Pix2PixHDFiles.FORMAT, Pix2PixHDFiles.FORMAT_VERSION,
                    Pix2PixHDFiles.configJson(GeneratorConfig.global(nets.g())), new LinkedHashMap<>(nets.get(n)), meta)
                    : new NetworkFile(PatchDiscriminatorFamily.FORMAT, PatchDiscriminatorFamily.VERSION, nets.d().toJson(),
                    new LinkedHashMap<>(nets.get(n)), meta);
            f.write(run.resolve(n + ".safetensors"));
        }
    }
}
