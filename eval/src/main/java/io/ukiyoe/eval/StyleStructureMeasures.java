package io.ukiyoe.eval;

import io.ukiyoe.core.UserError;
import io.ukiyoe.eval.fid.ImageFeatures;
import io.ukiyoe.eval.fid.InceptionMetrics;
import io.ukiyoe.eval.fid.ReferenceFeatures;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Many models measured against two fixed references, prepared once: how far a model's images are from a
 * style reference (SWD; FID and KID x1e3 with pytorch-fid's Inception), and how much of a structure
 * model's images it keeps on the same latents ({@link Compare}). The style reference is a folder of
 * images or, without one, a style model's own images on seeds {@link #STYLE_SEED_OFFSET} and up. (A blend
 * sweep scores each candidate with one of these.)
 */
public final class StyleStructureMeasures {
    /** Seeds of the style model's images when no style data is given (disjoint from the measured models' seeds). */
    public static final long STYLE_SEED_OFFSET = 1_000_000;

    /** How the references are made and what is measured. */
    public record Options(
            Path styleData,              // images of the style domain; null = the style model's own images
            int styleImages,             // images of the style reference, and of each measured model (seeds 0..n-1)
            List<Long> structureSeeds,   // latents on which a model's images are compared with the structure model's
            double truncation,           // psi of every generated image
            long seed,                   // SWD sampling (and the order style data is read in)
            Path inception,              // pt_inception weights (.pth or imported .safetensors); null = no FID / KID
            int batch,                   // images per Inception pass
            int kidSubsets,              // KID: random subsets
            int kidSubsetSize) {}        // KID: largest subset

    /** A model's figures: SWD x1e3 to the style reference, FID / KID x1e3 (NaN when not measured), its structure. */
    public record Measures(double swd, double fid, double kidX1e3, Compare.Result compare) {}

    private final Options o;
    private final int resolution;
    private final Swd.Descriptors style;
    private final List<float[]> structureImages = new ArrayList<>();
    private final ImageFeatures inception;         // null without Options.inception
    private final ReferenceFeatures styleFeatures; // null without Options.inception

    /**
     * The references: {@code styleModel}'s images (or the style data) for style, {@code structureModel}'s
     * images on the structure seeds for structure; models of at least {@link Swd#MIN_RESOLUTION} px.
     */
    public StyleStructureMeasures(Options o, StyleGanModel structureModel, StyleGanModel styleModel) {
        this.o = o;
        resolution = structureModel.config().resolution();
        if (resolution < Swd.MIN_RESOLUTION) {
            throw new UserError("style is measured with SWD, which needs models of at least " + Swd.MIN_RESOLUTION
                    + " px (this one is " + resolution + ")");
        }
        style = new Swd.Descriptors(resolution, o.seed());
        if (o.styleData() != null) {
            int got = ImageSets.read(o.styleData(), resolution, o.styleImages(), o.seed(), img -> style.add(ImageSets.to255(img)));
            if (got == 0) {
                throw new UserError(o.styleData() + ": no readable images for the style reference");
            }
        } else {
            SeedImages.generate(new Generator(styleModel), styleSeeds(), o.truncation(), 16,
                    img -> style.add(ImageSets.to255(img)));
        }
        if (o.inception() != null) {
            inception = ImageFeatures.of(o.inception(), o.batch());
            styleFeatures = new ReferenceFeatures(styleFeatures(styleModel), o.kidSubsets(), o.kidSubsetSize());
        } else {
            inception = null;
            styleFeatures = null;
        }
        SeedImages.generate(new Generator(structureModel), o.structureSeeds(), o.truncation(), 16, structureImages::add);
    }

    private List<Long> styleSeeds() {
        List<Long> seeds = new ArrayList<>();
        for (long i = 0; i < o.styleImages(); i++) {
            seeds.add(STYLE_SEED_OFFSET + i);
        }
        return seeds;
    }

    /**
     * Pool3 features of the style reference: the first {@code styleImages} of the style data in file-name
     * order at their own size (as {@code eval fid --n} reads a folder), or the style model's images.
     */
    private INDArray styleFeatures(StyleGanModel styleModel) {
        if (o.styleData() != null) {
            return new InceptionMetrics(new InceptionMetrics.Options(o.inception(), o.styleImages(), o.batch(),
                    o.truncation(), null), (label, total) -> done -> { }).features(o.styleData());
        }
        ImageFeatures.Collected out = inception.collect(styleModel.config().resolution());
        SeedImages.generate(new Generator(styleModel), styleSeeds(), o.truncation(), 16, out);
        return out.features();
    }

    /**
     * A model's style distance to the style reference (SWD, and FID / KID x1e3 when {@code withFidKid} and
     * there is an Inception network: NaN otherwise) and its structure against the structure model.
     */
    public Measures of(StyleGanModel m, boolean withFidKid) {
        Generator g = new Generator(m);
        Swd.Descriptors d = new Swd.Descriptors(resolution, o.seed() + 1);
        ImageFeatures.Collected features = inception == null || !withFidKid ? null : inception.collect(resolution);
        SeedImages.generate(g, SeedImages.range(o.styleImages()), o.truncation(), 16, img -> {
            d.add(ImageSets.to255(img));
            if (features != null) {
                features.accept(img);
            }
        });
        double swd = Swd.compute(style, d, o.seed()).average();
        INDArray f = features == null ? null : features.features();
        double fid = f == null ? Double.NaN : styleFeatures.fid(f);
        double kid = f == null ? Double.NaN : styleFeatures.kidX1e3(f);
        List<float[]> imgs = new ArrayList<>();
        SeedImages.generate(g, o.structureSeeds(), o.truncation(), 16, imgs::add);
        return new Measures(swd, fid, kid, Compare.compare(structureImages, imgs, resolution));
    }
}
