package io.ukiyoe.eval;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.nn.Generator;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** The sides {@code ukiyoe eval swd} compares: a model file (its images of seeds 0..n-1) or an image set. */
public final class SwdSets {
    private SwdSets() {}

    /**
     * SWD descriptors of up to {@code n} images of the source at {@code resolution}; a model must
     * generate that size. {@code progress} hears the images taken so far.
     */
    public static Swd.Descriptors descriptors(Path source, int n, int resolution, long seed, LongConsumer progress) {
        Swd.Descriptors d = new Swd.Descriptors(resolution, seed);
        Consumer<float[]> sink = img -> {
            d.add(ImageSets.to255(img));
            progress.accept(d.images());
        };
        if (ImageSets.isModel(source)) {
            StyleGanModel m = Importer.importFile(source, Importer.Format.AUTO);
            if (m.config().resolution() != resolution) {
                throw new UserError(source + ": generates " + m.config().resolution() + " px images, the comparison is at "
                        + resolution + " px");
            }
            SeedImages.generate(new Generator(m), SeedImages.range(n), 1, 8, sink);
        } else {
            ImageSets.read(source, resolution, n, seed, sink);
        }
        return d;
    }
}
