package io.ukiyoe.training;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.data.ImageDataset;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.Resample;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.nn.Generator;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ukiyoe train}: from scratch (architecture in the config) or fine-tuning a model file, on a
 * folder, zip or prepared dataset. Writes {@code metrics.jsonl}, a grid of EMA fakes every
 * {@code snapshots.every_kimg}, and {@code model.safetensors} (G EMA and D) at the end.
 */
public final class TrainJob {
    private static final Pattern RES = Pattern.compile("synthesis/b(\\d+)/.*");

    private TrainJob() {}

    public static StyleGanModel startingModel(ExperimentConfig<TrainConfig> cfg) {
        TrainConfig c = cfg.value();
        if (c.resumeFrom() != null) {
            StyleGanModel m = Importer.importFile(java.nio.file.Path.of(c.resumeFrom()), Importer.Format.AUTO);
            if (!m.hasDiscriminator()) {
                throw cfg.bound().error("resume_from", "the model has no discriminator, which fine-tuning needs");
            }
            return m;
        }
        TrainConfig.Architecture a = c.model();
        StyleGanConfig sc = StyleGanConfig.of(a.resolution(), a.zDim(), a.wDim(), a.nMlp(),
                StyleGanConfig.adaChannels(a.resolution(), a.channelBase(), a.channelMax()));
        return Init.random(sc, c.seed(), true);
    }

    /** Generator layers at resolution <= generator_up_to (and the mapping unless train_mapping), D's first N layers. */
    public static Predicate<String> frozen(TrainConfig.Freeze f, StyleGanConfig c) {
        List<String> dOrder = new ArrayList<>(io.ukiyoe.graphs.model.Names.discriminator(c).keySet());
        return name -> {
            if (f.generatorUpTo() > 0) {
                Matcher m = RES.matcher(name);
                if (m.matches() && Integer.parseInt(m.group(1)) <= f.generatorUpTo()) {
                    return true;
                }
                if (name.startsWith("mapping/") && !f.trainMapping()) {
                    return true;
                }
            }
            if (f.discriminatorLayers() > 0 && name.startsWith("disc/")) {
                return discriminatorLayer(name, dOrder) < f.discriminatorLayers();
            }
            return false;
        };
    }

    /** FreezeD numbering from the input: fromrgb 0, then conv0, conv1, skip per block, then conv, fc, out. */
    static int discriminatorLayer(String name, List<String> order) {
        List<String> layers = new ArrayList<>();
        for (String n : order) {
            String layer = n.substring(0, n.lastIndexOf('/'));
            if (!layers.contains(layer)) {
                layers.add(layer);
            }
        }
        return layers.indexOf(name.substring(0, name.lastIndexOf('/')));
    }

    /** Steps of a run: kimg x 1000 images in batches. */
    public static long steps(TrainConfig c) {
        return (long) Math.ceil(c.training().kimg() * 1000 / c.training().batch());
    }

    /** Checks what can be checked before a run folder exists. */
    public static void validate(ExperimentConfig<TrainConfig> cfg) {
        if (cfg.value().training().plWeight() > 0) {
            throw cfg.bound().error("training.pl_weight", "path-length regularisation is not in the training loop yet; set 0");
        }
    }

    public static StyleGanModel run(ExperimentConfig<TrainConfig> cfg, RunFolder run, IntConsumer progress) {
        TrainConfig c = cfg.value();
        validate(cfg);
        StyleGanModel start = startingModel(cfg);
        int res = start.config().resolution();
        TrainConfig.Training t = c.training();
        TrainerCore core = new TrainerCore(start, new TrainerCore.Settings(t.batch(), t.learningRate(), t.r1Gamma(),
                t.r1Interval(), t.emaKimg(), t.emaRampup(), t.styleMixing(), c.seed()), frozen(c.freeze(), start.config()));
        long steps = steps(c);
        long every = Math.max(1, Math.round(c.snapshots().everyKimg() * 1000 / t.batch()));
        try (ImageDataset ds = ImageDataset.open(java.nio.file.Path.of(c.data().path()),
                new ImageDataset.Options(res, Resample.Fit.CROP, c.data().xflip()));
             BatchLoader loader = new BatchLoader(ds, t.batch(), c.seed(), new BatchLoader.Position(0, 0), 4)) {
            StringBuilder metrics = new StringBuilder();
            long t0 = System.nanoTime();
            for (long i = 0; i < steps; i++) {
                TrainerCore.StepLosses l = core.step(loader.next());
                if (!Double.isFinite(l.lossD()) || !Double.isFinite(l.lossG())) {
                    throw new UserError("training diverged at step " + i + ": loss_D " + l.lossD() + ", loss_G " + l.lossG()
                            + " (the last grid and metrics are in " + run.dir() + ")");
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                metrics.append(String.format(Locale.ROOT,
                        "{\"step\":%d,\"kimg\":%.4f,\"loss_D\":%.6f,\"loss_G\":%.6f,\"r1\":%s,\"images_per_s\":%.2f}%n",
                        i + 1, (i + 1) * t.batch() / 1000.0, l.lossD(), l.lossG(),
                        Double.isNaN(l.r1()) ? "null" : String.format(Locale.ROOT, "%.6g", l.r1()),
                        (i + 1) * t.batch() / secs));
                run.write("metrics.jsonl", metrics.toString());
                if ((i + 1) % every == 0 || i + 1 == steps) {
                    writeGrid(core.model(true), c.snapshots().seeds().values(), run,
                            String.format("fakes%06d.png", (i + 1) * t.batch()));
                }
                progress.accept((int) (i + 1));
            }
        }
        StyleGanModel out = core.model(true);
        out.write(run.resolve("model.safetensors"));
        return out;
    }

    static void writeGrid(StyleGanModel m, List<Long> seeds, RunFolder run, String name) {
        Generator g = new Generator(m);
        List<BufferedImage> cells = new ArrayList<>();
        io.ukiyoe.eval.ImageSets.generate(g, seeds, 1, 8, img -> cells.add(Images.toImage(
                org.nd4j.linalg.factory.Nd4j.create(img, new long[] {3, m.config().resolution(), m.config().resolution()},
                        org.nd4j.linalg.api.buffer.DataType.FLOAT))));
        try {
            Images.writePng(run.resolve(name), Images.grid(cells, (int) Math.ceil(Math.sqrt(cells.size())), null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
