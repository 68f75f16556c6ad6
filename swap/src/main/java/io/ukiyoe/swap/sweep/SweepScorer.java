package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigWriter;
import io.ukiyoe.eval.Compare;
import io.ukiyoe.eval.ImageSets;
import io.ukiyoe.eval.Swd;
import io.ukiyoe.eval.fid.ImageFeatures;
import io.ukiyoe.eval.fid.InceptionMetrics;
import io.ukiyoe.eval.fid.ReferenceFeatures;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.swap.BlendOptions;
import io.ukiyoe.swap.Blender;
import io.ukiyoe.swap.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What scoring a blend schedule needs, prepared once per JVM: the two models, the style reference's SWD
 * descriptors, the base's images on the structure seeds, and the gaps every objective term is a fraction
 * of. Scoring a schedule depends on nothing else, so any worker scores it the same.
 */
public final class SweepScorer {
    /** Seeds of the target's own images when no style data is given (disjoint from candidate seeds). */
    static final long STYLE_SEED_OFFSET = 1_000_000;

    private final SweepConfig c;
    private final StyleGanModel base;
    private final StyleGanModel target;
    private final Swd.Descriptors style;
    private final List<float[]> baseImages = new ArrayList<>();
    private final double styleGap;
    private final double structureGap;
    private final double poseGap;
    private final ImageFeatures inception;         // null without metrics.inception
    private final ReferenceFeatures styleFeatures; // null without metrics.inception
    private final double fidGap;
    private final double kidGap;

    public SweepScorer(SweepConfig c) {
        this.c = c;
        base = model(c.base());
        target = model(c.target());
        Blender.requireCompatible(c.base(), c.target(), base, target);
        int res = base.config().resolution();
        if (res < Swd.MIN_RESOLUTION) {
            throw new UserError("sweeps measure style with SWD, which needs models of at least 16 px (this one is " + res + ")");
        }
        style = new Swd.Descriptors(res, c.seed());
        if (c.styleData() != null) {
            int got = ImageSets.read(c.styleData(), res, c.styleImages(), c.seed(), img -> style.add(ImageSets.to255(img)));
            if (got == 0) {
                throw new UserError(c.styleData() + ": no readable images for the style reference");
            }
        } else {
            List<Long> seeds = new ArrayList<>();
            for (long i = 0; i < c.styleImages(); i++) {
                seeds.add(STYLE_SEED_OFFSET + i);
            }
            SeedImages.generate(new Generator(target), seeds, c.truncation(), 16, img -> style.add(ImageSets.to255(img)));
        }
        SweepConfig.Metrics mc = c.metrics();
        if (mc.inception() != null) {
            inception = ImageFeatures.of(mc.inception(), mc.batch());
            styleFeatures = new ReferenceFeatures(styleFeatures(c, inception), mc.kidSubsets(), mc.kidSubsetSize());
        } else {
            inception = null;
            styleFeatures = null;
        }
        SeedImages.generate(new Generator(base), c.seeds().values(), c.truncation(), 16, baseImages::add);
        // the gap every candidate is measured against: the base's style distance, the target's structure loss
        Measures baseM = measure(base, true);
        Measures targetM = measure(target, false);   // only its structure and pose are gaps: no Inception pass
        styleGap = Math.max(baseM.swd(), 1e-9);
        fidGap = Math.max(baseM.fid(), 1e-9);
        kidGap = baseM.kid();
        if (c.objective().kid() > 0 && !(kidGap > 0)) {   // KID is unbiased: with few images it can be <= 0
            throw new UserError("objective.kid: the base's KID to the style reference is " + kidGap
                    + ", not positive, so the KID term has no gap to be a fraction of; use more style_images or objective.fid");
        }
        structureGap = Math.max(1 - targetM.compare().correlation16(), 1e-9);
        poseGap = Double.isNaN(targetM.compare().yawDifference()) ? 1 : Math.max(targetM.compare().yawDifference(), 1e-9);
    }

    /** A model file, read once per JVM (the sweep's driver and its in-process scorer share it). */
    static StyleGanModel model(java.nio.file.Path file) {
        return io.ukiyoe.core.cluster.WorkerCache.get("stylegan " + io.ukiyoe.core.cluster.WorkerCache.fileKey(file),
                () -> Importer.importFile(file, Importer.Format.AUTO));
    }

    /**
     * Pool3 features of the style reference: the first {@code style_images} of the style data in file-name
     * order at their own size (as {@code eval fid --n} reads a folder), or the target's images.
     */
    private static org.nd4j.linalg.api.ndarray.INDArray styleFeatures(SweepConfig c, ImageFeatures inception) {
        if (c.styleData() != null) {
            SweepConfig.Metrics mc = c.metrics();
            return new InceptionMetrics(new InceptionMetrics.Options(mc.inception(), c.styleImages(), mc.batch(),
                    c.truncation(), null), (label, total) -> done -> { }).features(c.styleData());
        }
        List<Long> seeds = new ArrayList<>();
        for (long i = 0; i < c.styleImages(); i++) {
            seeds.add(STYLE_SEED_OFFSET + i);
        }
        ImageFeatures.Collected out = inception.collect(model(c.target()).config().resolution());
        SeedImages.generate(new Generator(model(c.target())), seeds, c.truncation(), 16, out);
        return out.features();
    }

    /**
     * A model's style distance to the style reference (SWD, and FID / KID x1e3 when asked for: NaN
     * otherwise) and its structure against the base.
     */
    private record Measures(double swd, double fid, double kid, Compare.Result compare) {}

    private Measures measure(StyleGanModel m, boolean withInception) {
        Generator g = new Generator(m);
        Swd.Descriptors d = new Swd.Descriptors(base.config().resolution(), c.seed() + 1);
        ImageFeatures.Collected features = inception == null || !withInception ? null : inception.collect(base.config().resolution());
        SeedImages.generate(g, SeedImages.range(c.styleImages()), c.truncation(), 16, img -> {
            d.add(ImageSets.to255(img));
            if (features != null) {
                features.accept(img);
            }
        });
        double swd = Swd.compute(style, d, c.seed()).average();
        var f = features == null ? null : features.features();
        double fid = f == null ? Double.NaN : styleFeatures.fid(f);
        double kid = f == null ? Double.NaN : styleFeatures.kidX1e3(f);
        List<float[]> imgs = new ArrayList<>();
        SeedImages.generate(g, c.seeds().values(), c.truncation(), 16, imgs::add);
        return new Measures(swd, fid, kid, Compare.compare(baseImages, imgs, base.config().resolution()));
    }

    /** The objective of a candidate's measures (see {@link SweepConfig.Objective}). */
    private double objective(Measures m) {
        SweepConfig.Objective o = c.objective();
        Compare.Result cmp = m.compare();
        double yaw = Double.isNaN(cmp.yawDifference()) ? 0 : cmp.yawDifference();
        double v = o.style() * m.swd() / styleGap + o.structure() * (1 - cmp.correlation16()) / structureGap
                + o.pose() * yaw / poseGap;
        if (o.fid() > 0) {
            v += o.fid() * m.fid() / fidGap;
        }
        if (o.kid() > 0) {
            v += o.kid() * m.kid() / kidGap;
        }
        return cmp.correlation16() < o.minCorrelation16() ? v + SweepRunner.BELOW_FLOOR : v;
    }

    /** How the sweep blends a schedule (mapping and noise from the config; D dropped). */
    public static BlendOptions options(SweepConfig c, Schedule s) {
        return new BlendOptions(s, c.mapping(), null, c.noise(), BlendOptions.DiscriminatorChoice.DROP, Map.of());
    }

    /** A schedule's key in results.csv: its config tree as one line of JSON. */
    static String key(Schedule s) {
        return JsonMapper.builder().build().writeValueAsString(ConfigWriter.toTree(s));
    }

    /** Scores one schedule: SWD of blended images vs the style reference, structure and pose vs the base. */
    SweepResults.Row score(int index, Schedule s) {
        long t0 = System.nanoTime();
        Measures m = measure(Blender.blend(base, target, options(c, s), Map.of()).model(), true);
        Compare.Result cmp = m.compare();
        return new SweepResults.Row(index, key(s), m.swd(), cmp.correlation16(), cmp.ssim32(), cmp.yawDifference(),
                m.fid(), m.kid(), objective(m), (System.nanoTime() - t0) / 1e9, "ok", null);
    }
}
