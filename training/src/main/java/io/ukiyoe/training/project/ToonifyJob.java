package io.ukiyoe.training.project;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Outputs;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ukiyoe toonify}: project each (aligned) photo into the base model ({@link ProjectJob}: its
 * files too), then render the found latent and noise maps with the blended model: {@code NAME-ukiyoe.png}
 * and {@code NAME-grid.png} (target | projection | blended).
 */
public final class ToonifyJob {
    private ToonifyJob() {}

    public static List<Path> outputs(Path out, List<ProjectionTargets.Target> targets) {
        List<Path> p = new ArrayList<>();
        for (ProjectionTargets.Target t : targets) {
            p.add(out.resolve(t.name() + "-ukiyoe.png"));
            p.add(out.resolve(t.name() + "-grid.png"));
        }
        return p;
    }

    public static void run(Projector baseProjector, StyleGanModel base, StyleGanModel blended,
                           List<ProjectionTargets.Target> targets, ProjectJob.Options o, ProjectJob.Listener listener) {
        if (!base.config().equals(blended.config())) {
            throw new UserError("the blended model's architecture differs from the base's (" + blended.config() + " vs "
                    + base.config() + "): toonify renders the base's latents with it");
        }
        List<Path> all = new ArrayList<>(ProjectJob.allOutputs(o.out(), targets, o.video()));
        all.addAll(outputs(o.out(), targets));
        Outputs.checkNew(o.force(), all.toArray(Path[]::new));
        ProjectJob.run(baseProjector, targets, o, listener);
        LatentRenderer baseRender = new LatentRenderer(base);
        LatentRenderer blendRender = new LatentRenderer(blended);
        try {
            for (ProjectionTargets.Target t : targets) {
                Map<String, Tensor> state = Npy.readNpz(o.out().resolve(t.name() + ".npz"));
                BufferedImage ukiyoe = picture(blendRender.render(state));
                BufferedImage projected = picture(baseRender.render(state));
                BufferedImage target = picture(t.image());
                AtomicFiles.write(o.out().resolve(t.name() + "-ukiyoe.png"), s -> javax.imageio.ImageIO.write(ukiyoe, "png", s));
                BufferedImage grid = Images.grid(List.of(target, projected, ukiyoe), 3, List.of("target", "projection", "blended"));
                AtomicFiles.write(o.out().resolve(t.name() + "-grid.png"), s -> javax.imageio.ImageIO.write(grid, "png", s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage picture(org.nd4j.linalg.api.ndarray.INDArray nchw) {
        return Images.toImage(nchw.get(NDArrayIndex.point(0)));
    }
}
