package io.ukiyoe.training;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.data.ImageDataset;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * {@code ukiyoe train}: from scratch (architecture in the config) or fine-tuning a model file, on a
 * folder, zip or prepared dataset. Writes {@code metrics.jsonl} (and TensorBoard events), and every
 * {@code snapshots.every_kimg} a grid of EMA fakes and a {@link Checkpoint} (the newest
 * {@code snapshots.keep} are kept), and {@code model.safetensors} (G EMA and D) at the end. A run
 * continues exactly from its newest complete checkpoint ({@link #resume}).
 */
public final class TrainJob {

    private TrainJob() {}

    /**
     * The model a new run starts from (resume_from's file, or a random one), checked against the
     * config ({@link #validate}): call it before making the run folder, then pass it to {@link #run}.
     */
    public static StyleGanModel startingModel(ExperimentConfig<TrainConfig> cfg) {
        TrainConfig c = cfg.value();
        StyleGanModel m;
        if (c.resumeFrom() != null) {
            m = Importer.importFile(java.nio.file.Path.of(c.resumeFrom()), Importer.Format.AUTO);
            if (!m.hasDiscriminator()) {
                throw cfg.bound().error("resume_from", "the model has no discriminator, which fine-tuning needs");
            }
        } else {
            m = Init.random(newModelConfig(c.model()), c.seed(), true);
        }
        validate(cfg, m.config());
        return m;
    }

    /** Generator layers at resolution <= generator_up_to (and the mapping unless train_mapping), D's first N layers. */
    public static Predicate<String> frozen(TrainConfig.Freeze f, StyleGanConfig c) {
        List<String> dOrder = new ArrayList<>(Names.discriminator(c).keySet());
        return name -> {
            if (f.generatorUpTo() > 0) {
                int res = Names.synthesisResolution(name);
                if (res > 0 && res <= f.generatorUpTo()) {
                    return true;
                }
                if (Names.isMapping(name) && !f.trainMapping()) {
                    return true;
                }
            }
            if (f.discriminatorLayers() > 0 && Names.isDiscriminator(name)) {
                return discriminatorLayer(name, dOrder) < f.discriminatorLayers();
            }
            return false;
        };
    }

    /** FreezeD numbering from the input: fromrgb 0, then conv0, conv1, skip per block, then conv, fc, out. */
    static int discriminatorLayer(String name, List<String> order) {
        List<String> layers = new ArrayList<>();
        for (String n : order) {
            String layer = Names.layerOf(n);
            if (!layers.contains(layer)) {
                layers.add(layer);
            }
        }
        return layers.indexOf(Names.layerOf(name));
    }

    /** Steps of a run: kimg x 1000 images in batches. */
    public static long steps(TrainConfig c) {
        return (long) Math.ceil(c.training().kimg() * 1000 / c.training().batch());
    }

    /**
     * The batch size against the minibatch-stddev group of the discriminator being trained (the
     * model's own: a fine-tuned model's from its file), so that a bad batch fails before a run folder
     * exists. The path-length batch needs no check: that pass does not run D.
     */
    public static void validate(ExperimentConfig<TrainConfig> cfg, StyleGanConfig model) {
        int group = model.mbstdGroup();
        int batch = cfg.value().training().batch();
        if (batch % Math.min(group, batch) != 0) {
            throw cfg.bound().error("training.batch", "got " + batch + ", but the discriminator's minibatch-stddev group is "
                    + group + ": batches that work are 1.." + group + " or multiples of " + group + " ("
                    + group * Math.max(1, batch / group) + " or " + group * (batch / group + 1) + " here)");
        }
    }

    private static StyleGanConfig newModelConfig(TrainConfig.Architecture a) {
        return StyleGanConfig.of(a.resolution(), a.zDim(), a.wDim(), a.nMlp(),
                StyleGanConfig.adaChannels(a.resolution(), a.channelBase(), a.channelMax()));
    }

    /** Settings that {@code --resume} may change with {@code --set}: they do not alter the steps already taken. */
    public static final List<String> RESUMABLE_OVERRIDES = List.of("training.kimg", "snapshots.every_kimg",
            "snapshots.keep", "snapshots.tensorboard", "snapshots.seeds");

    /**
     * Trains from the start of the config, from {@code start} ({@link #startingModel}); {@code metrics}
     * computes the figures {@code snapshots.metrics} asks for.
     */
    public static StyleGanModel run(ExperimentConfig<TrainConfig> cfg, RunFolder run, StyleGanModel start,
                                    TrainMetrics metrics, IntConsumer progress) {
        return train(cfg, run, start, null, metrics, progress);
    }

    /**
     * The newest complete checkpoint of a run folder; a newer file that does not read back is skipped
     * with a note in the run's log.
     */
    public static Map.Entry<Path, Checkpoint.Contents> lastCheckpoint(RunFolder run) {
        return Checkpoint.latest(run.dir(), run::log).orElseThrow(() -> new UserError(run.dir()
                + ": no complete checkpoint to resume from (the first is written after snapshots.every_kimg)"));
    }

    /** Continues a run from a checkpoint read with {@link #lastCheckpoint}. */
    public static StyleGanModel resume(ExperimentConfig<TrainConfig> cfg, RunFolder run, Checkpoint.Contents from,
                                       TrainMetrics metrics, IntConsumer progress) {
        Map<String, Tensor> all = new LinkedHashMap<>(from.state().g());
        all.putAll(from.state().d());
        StyleGanModel start = new StyleGanModel(from.config(), all, Map.of());
        validate(cfg, start.config());
        return train(cfg, run, start, from, metrics, progress);
    }

    /** {@code from}: the checkpoint a resumed run continues (it has the model, so a run resumes even if its file moved). */
    private static StyleGanModel train(ExperimentConfig<TrainConfig> cfg, RunFolder run, StyleGanModel start,
                                       Checkpoint.Contents from, TrainMetrics metricsOf, IntConsumer progress) {
        TrainConfig c = cfg.value();
        int res = start.config().resolution();
        TrainConfig.Training t = c.training();
        TrainerCore core = new TrainerCore(start, TrainSettings.from(c), frozen(c.freeze(), start.config()));
        BatchLoader.Position position = new BatchLoader.Position(0, 0);
        if (from != null) {
            core.restore(from.state());
            position = from.loader();
        }
        long first = core.steps();
        long steps = steps(c);
        long every = Math.max(1, Math.round(c.snapshots().everyKimg() * 1000 / t.batch()));
        Path metricsFile = run.resolve("metrics.jsonl");
        SnapshotMetric<Generator> snapshotMetrics = metricsOf.inception(c, c.snapshots().metrics());
        keepMetricsUpTo(metricsFile, first);
        TensorBoardEvents.truncateAfter(run.dir(), first);
        String lastGood = from == null ? null : Checkpoint.fileName(first);
        try (ImageDataset ds = ImageDataset.open(Path.of(c.data().path()),
                new ImageDataset.Options(res, Resample.Fit.CROP, c.data().xflip()));
             BatchLoader loader = new BatchLoader(ds, t.batch(), c.seed(), position, 4);
             Writer metrics = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND);
             TensorBoardEvents tb = c.snapshots().tensorboard() ? new TensorBoardEvents(run.dir()) : null) {
            long t0 = System.nanoTime();
            for (long i = first; i < steps; i++) {
                TrainerCore.StepLosses l = core.step(loader.next());
                if (!Double.isFinite(l.lossD()) || !Double.isFinite(l.lossG())
                        || Double.isInfinite(l.r1()) || Double.isInfinite(l.pathLength())) {
                    throw diverged(run, i + 1, "loss_D " + l.lossD() + ", loss_G " + l.lossG(), lastGood, "ukiyoe train");
                }
                double imagesPerS = (i + 1 - first) * t.batch() / ((System.nanoTime() - t0) / 1e9);
                double kimg = (i + 1) * t.batch() / 1000.0;
                metrics.write(String.format(Locale.ROOT,
                        "{\"step\":%d,\"kimg\":%.4f,\"loss_D\":%.6f,\"loss_G\":%.6f,\"r1\":%s,\"path_length\":%s,"
                                + "\"ada_p\":%.4f,\"images_per_s\":%.2f}%n",
                        i + 1, kimg, l.lossD(), l.lossG(), json(l.r1()), json(l.pathLength()), l.adaP(), imagesPerS));
                metrics.flush();
                if (tb != null) {
                    tb.scalars(i + 1, TensorBoardTags.step(l, t, kimg, imagesPerS));
                }
                if ((i + 1) % every == 0 || i + 1 == steps) {
                    TrainerCore.State st = core.state();
                    String bad = firstNonFinite(st);
                    if (bad != null) {
                        throw diverged(run, i + 1, bad + " is not finite", lastGood, "ukiyoe train");
                    }
                    writeGrid(core.model(true), c.snapshots().seeds().values(), run,
                            String.format("fakes%06d.png", (i + 1) * t.batch()));
                    if (!c.snapshots().metrics().isEmpty()) {
                        writeSnapshotMetrics(snapshotMetrics.score(new Generator(core.model(true))), i + 1, kimg,
                                c.metrics().n(), metrics, tb, run);
                    }
                    Checkpoint.write(run.resolve(Checkpoint.fileName(i + 1)), start.config(), st, loader.position(),
                            cfg.resolvedYaml());
                    Checkpoint.prune(run.dir(), c.snapshots().keep());
                    lastGood = Checkpoint.fileName(i + 1);
                    run.log("checkpoint " + lastGood + " (kimg " + String.format(Locale.ROOT, "%.3f", kimg) + ")");
                    io.ukiyoe.data.charts.TrainingCurves.refresh(run.dir(), run::log);   // curves.png, the logged series
                }
                progress.accept((int) (i + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "ukiyoe train: G_ema and D after step " + core.steps() + " (" + run.dir().getFileName() + ")");
        meta.put("train_config", cfg.resolvedYaml());
        StyleGanModel out = core.model(true);
        out = out.with(out.tensors(), meta);
        out.write(run.resolve("model.safetensors"));
        return out;
    }

    private static void writeSnapshotMetrics(Map<String, Double> values, long step, double kimg, int images,
                                             Writer metrics, TensorBoardEvents tb, RunFolder run) throws IOException {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "{\"step\":%d,\"kimg\":%.4f", step, kimg));
        Map<String, Double> scalars = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            line.append(String.format(Locale.ROOT, ",\"%s\":%s", k, json(v)));
            scalars.put(TensorBoardTags.metricTag(k, images), TensorBoardTags.metricValue(k, v));
        });
        metrics.write(line.append("}\n").toString());
        metrics.flush();
        if (tb != null) {
            tb.scalars(step, scalars);
        }
        run.log("metrics at step " + step + ": " + values);
    }

    private static String json(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** The one-line error that stops a run whose losses or weights are no longer finite (logged in the run too). */
    public static UserError diverged(RunFolder run, long step, String what, String lastGood, String command) {
        run.log("stopped at step " + step + ": " + what);
        return new UserError("training diverged at step " + step + " (" + what + "); stopped. "
                + (lastGood == null ? "No checkpoint was written yet"
                : "The last good checkpoint is " + run.resolve(lastGood) + "; change the settings and resume with "
                + "'" + command + " --resume " + run.dir() + "'"));
    }

    private static String firstNonFinite(TrainerCore.State st) {
        for (Map<String, Tensor> side : List.of(st.g(), st.gEma(), st.d())) {
            for (Map.Entry<String, Tensor> e : side.entrySet()) {
                for (float v : e.getValue().data()) {
                    if (!Float.isFinite(v)) {
                        return e.getKey();
                    }
                }
            }
        }
        return null;
    }

    /** Drops metric lines of steps after a resumed checkpoint (they will be computed again). */
    public static void keepMetricsUpTo(Path file, long step) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = STEP.matcher(line);
                if (m.find() && Long.parseLong(m.group(1)) <= step && line.endsWith("}")) {
                    kept.append(line).append('\n');
                }
            }
            io.ukiyoe.core.io.AtomicFiles.writeString(file, kept.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern STEP = Pattern.compile("^\\{\"step\":(\\d+),");

    static void writeGrid(StyleGanModel m, List<Long> seeds, RunFolder run, String name) {
        Generator g = new Generator(m);
        List<BufferedImage> cells = new ArrayList<>();
        SeedImages.generate(g, seeds, 1, 8, img -> cells.add(Images.toImage(
                org.nd4j.linalg.factory.Nd4j.create(img, new long[] {3, m.config().resolution(), m.config().resolution()},
                        org.nd4j.linalg.api.buffer.DataType.FLOAT))));
        try {
            Images.writePng(run.resolve(name), Images.grid(cells, (int) Math.ceil(Math.sqrt(cells.size())), null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
