package io.ukiyoe.training.project;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Outputs;
import io.ukiyoe.data.Images;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.align.PhotoFaces;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.translate.Translator;
import io.ukiyoe.graphs.translate.Translators;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code ukiyoe toonify} ({@code kind: toonify}): every face of every photo aligned the FFHQ way (from a
 * landmarks file, or found by MTCNN; with neither, each photo centre-cropped as it is), projected into the
 * base model ({@link ProjectJob}: its files too), the found latent and noise maps rendered with the blended
 * model, and the distilled student run on the same aligned face when one is given. Per face
 * {@code NAME-ukiyoe.png}, {@code NAME-student.png}, {@code NAME-aligned.png} and {@code NAME-grid.png}
 * (photo | aligned | projection | blended | student), {@code grid.png} with a row per face, and with faces
 * from landmarks or the detector {@code toonify-report.csv} (photos without a face listed with the reason).
 */
public final class ToonifyJob {
    public static final String REPORT = "toonify-report.csv";
    public static final String GRID = "grid.png";

    private ToonifyJob() {}

    /** Progress: the photo pass (aligned runs only), then each projection's steps. */
    public interface Listener extends ProjectJob.Listener {
        default void photos(int done, int total) {}

        /** The projections start: the faces' names and the perceptual loss. */
        default void projecting(List<String> names, String loss) {}
    }

    /**
     * What was done: photos read, faces toonified (their output names), faces skipped, and each photo that
     * gave no face with the reason (these two only when faces are aligned).
     */
    public record Summary(int images, List<String> faces, int skippedFaces, Map<String, String> withoutFaces, boolean aligned) {}

    /** One face to toonify: its output name, the photo it is from (grid thumbnail; null unaligned), the aligned face and the target. */
    private record Face(String name, BufferedImage photo, BufferedImage aligned, INDArray target) {}

    /** The models and the projector, loaded and checked before any photo is read. */
    private record Models(StyleGanModel base, StyleGanModel blended, Translator student, PerceptualLoss loss, Projector projector) {}

    /**
     * Runs a toonify config. {@code faceSource} opens the config's face source (its {@code detector:} or
     * {@code landmarks:}; the face code lives in eval, which training does not depend on) or returns null
     * when the photos are to be used whole.
     */
    public static Summary run(ToonifyConfig c, Function<ToonifyConfig, AlignJob.FaceSource> faceSource, boolean force, Listener listener) {
        if (c.detector() != null && c.landmarks() != null) {
            throw new UserError("toonify: faces come from landmarks or from the detector, not both", 2, null);
        }
        Models m = load(c);
        int size = m.projector().targetSize();
        AlignJob.FaceSource source = faceSource.apply(c);
        List<Face> faces = new ArrayList<>();
        PhotoFaces.Summary walk = null;
        if (source != null) {
            walk = PhotoFaces.run(c.images(), source, size, f -> {
                faces.add(new Face(f.name(), PhotoFaces.thumbnail(f.image(), size), f.aligned(),
                        PhotoFaces.input(f.aligned(), size)));
                return f.name() + "-ukiyoe.png";
            }, listener::photos);
        } else {
            for (ProjectionTargets.Target t : ProjectionTargets.load(c.images(), size)) {
                faces.add(new Face(t.name(), null, null, t.image()));
            }
        }
        List<ProjectionTargets.Target> targets = faces.stream().map(f -> new ProjectionTargets.Target(f.name(), f.target())).toList();
        Outputs.checkNew(force, outputs(c, faces, targets, walk != null).toArray(Path[]::new));
        if (!targets.isEmpty()) {        // every photo without a face: only the report, which says why
            listener.projecting(targets.stream().map(ProjectionTargets.Target::name).toList(), m.loss().describe());
            ProjectJob.run(m.projector(), targets, new ProjectJob.Options(null, null, c.out(), c.video(), force), listener);
            render(c, m, faces);
        }
        if (walk != null) {
            write(c.out().resolve(REPORT), walk.report());
        }
        List<String> names = faces.stream().map(Face::name).toList();
        return walk == null ? new Summary(faces.size(), names, 0, Map.of(), false)
                : new Summary(walk.images(), names, walk.skippedFaces(), walk.withoutFaces(), true);
    }

    private static Models load(ToonifyConfig c) {
        StyleGanModel base = Importer.importFile(c.base(), Importer.Format.AUTO);
        StyleGanModel blended = Importer.importFile(c.blended(), Importer.Format.AUTO);
        if (!base.config().equals(blended.config())) {
            throw new UserError(c.blended() + ": the blended model's architecture differs from the base's (" + blended.config()
                    + " vs " + base.config() + "): toonify renders the base's latents with it");
        }
        Translator student = c.student() == null ? null : Translators.load(c.student());
        PerceptualLoss loss = LpipsFiles.lossOf(c.lpips());
        Projector projector = new Projector(base, loss, c.projection().settings());
        int size = projector.targetSize();         // faces are aligned at the size projections compare at
        if (student != null && (student.inputChannels() != 3 || size % student.sizeMultiple() != 0)) {
            throw new UserError(c.student() + ": the student must take RGB faces of " + size + " px (the projection's size); it "
                    + "takes " + student.inputChannels() + " channels in multiples of " + student.sizeMultiple() + " px");
        }
        return new Models(base, blended, student, loss, projector);
    }

    private static List<Path> outputs(ToonifyConfig c, List<Face> faces, List<ProjectionTargets.Target> targets, boolean aligned) {
        List<Path> p = new ArrayList<>(ProjectJob.allOutputs(c.out(), targets, c.video()));
        for (Face f : faces) {
            p.add(c.out().resolve(f.name() + "-ukiyoe.png"));
            p.add(c.out().resolve(f.name() + "-grid.png"));
            if (f.aligned() != null) {
                p.add(c.out().resolve(f.name() + "-aligned.png"));
            }
            if (c.student() != null) {
                p.add(c.out().resolve(f.name() + "-student.png"));
            }
        }
        p.add(c.out().resolve(GRID));
        if (aligned) {
            p.add(c.out().resolve(REPORT));
        }
        return p;
    }

    /** Each projection through the base and the blended model, and each target through the student. */
    private static void render(ToonifyConfig c, Models m, List<Face> faces) {
        LatentRenderer baseRender = new LatentRenderer(m.base());
        LatentRenderer blendRender = new LatentRenderer(m.blended());
        boolean aligned = faces.get(0).aligned() != null;
        List<String> labels = new ArrayList<>(aligned ? List.of("photo", "aligned") : List.of("photo"));
        labels.addAll(List.of("projection", "blended"));
        if (m.student() != null) {
            labels.add("student");
        }
        List<BufferedImage> all = new ArrayList<>();
        for (Face f : faces) {
            Path out = c.out();
            var state = Npy.readNpz(out.resolve(f.name() + ".npz"));
            BufferedImage ukiyoe = picture(blendRender.render(state));
            List<BufferedImage> row = new ArrayList<>();
            if (aligned) {
                row.add(f.photo());
                row.add(f.aligned());
                write(out.resolve(f.name() + "-aligned.png"), f.aligned());
            } else {
                row.add(picture(f.target()));
            }
            row.add(picture(baseRender.render(state)));
            row.add(ukiyoe);
            write(out.resolve(f.name() + "-ukiyoe.png"), ukiyoe);
            if (m.student() != null) {
                BufferedImage student = Images.toImage(m.student().firstAsRgb(f.target()));
                row.add(student);
                write(out.resolve(f.name() + "-student.png"), student);
            }
            write(out.resolve(f.name() + "-grid.png"), Images.grid(row, row.size(), labels));
            all.addAll(row);
        }
        write(c.out().resolve(GRID), Images.grid(all, labels.size(), labels));
    }

    private static BufferedImage picture(INDArray nchw) {
        return Images.toImage(nchw.get(NDArrayIndex.point(0)));
    }

    private static void write(Path file, BufferedImage img) {
        try {
            Images.writePng(file, img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
