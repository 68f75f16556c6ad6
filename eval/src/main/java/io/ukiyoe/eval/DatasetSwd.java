package io.ukiyoe.eval;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.nio.file.Path;

/**
 * SWD x1e3 of generators against one image set, again and again (the candidates of a training sweep):
 * the real side's descriptors are taken once, from up to {@code images} images of the set; each
 * generator renders seeds 0..images-1 without truncation.
 */
public final class DatasetSwd {
    private final int resolution;
    private final int images;
    private final long seed;
    private final Swd.Descriptors real;

    /** {@code resolution} must be at least {@link Swd#MIN_RESOLUTION}; the set must have a readable image (one-line error otherwise). */
    public DatasetSwd(Path data, int resolution, int images, long seed) {
        this.resolution = resolution;
        this.images = images;
        this.seed = seed;
        real = new Swd.Descriptors(resolution, seed);
        if (ImageSets.read(data, resolution, images, seed, img -> real.add(ImageSets.to255(img))) == 0) {
            throw new UserError(data + ": no readable images to score the candidates against");
        }
    }

    /** The average over pyramid levels of SWD x1e3 of the generator's images against the set. */
    public double of(Generator g) {
        Swd.Descriptors fake = new Swd.Descriptors(resolution, seed + 1);
        SeedImages.generate(g, SeedImages.range(images), 1.0, 16, img -> fake.add(ImageSets.to255(img)));
        return Swd.compute(real, fake, seed).average();
    }
}
