package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.ImageDataset;
import io.ukiyoe.data.Prepare;
import io.ukiyoe.data.Resample;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.data.detect.DetectJob;
import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.data.synth.SynthSet;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe data}: prepare datasets, detect and align faces, render synthetic faces. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Image data: prepare datasets, detect faces (MTCNN), align faces (FFHQ recipe), upscale (ESRGAN), "
                + "render synthetic two-domain faces.",
        subcommands = {DataCommand.PrepareCmd.class, DataCommand.AlignCmd.class, DataCommand.DetectCmd.class,
                DataCommand.SynthCmd.class, DataCommand.ReadCmd.class, UpscaleCommand.class})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Resample.Fit fit(String s) {
        return switch (s) {
            case "crop" -> Resample.Fit.CROP;
            case "pad" -> Resample.Fit.PAD;
            default -> throw new UserError("--fit: must be crop or pad, got '" + s + "'", 2, null);
        };
    }


    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Decode, crop and resize a folder or zip of images once into DATASET.zip with a manifest.")
    static final class PrepareCmd implements Callable<Integer> {
        @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder (recursive) or .zip of PNG/JPEG.")
        Path images;

        @Option(names = "--resolution", required = true, paramLabel = "PX", description = "Output size.")
        int resolution;

        @Option(names = "--fit", defaultValue = "crop", description = "crop | pad non-square images (default: ${DEFAULT-VALUE}).")
        String fit;

        @picocli.CommandLine.Mixin
        ForceOption force = new ForceOption();

        @Option(names = "--out", required = true, paramLabel = "DATASET.zip", description = "Prepared dataset to write.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Args.positive("--resolution", resolution);
            force.check(out);
            Progress[] p = new Progress[1];
            Prepare.Summary s = Prepare.run(images, resolution, fit(fit), out, i -> {
                if (p[0] == null) {
                    p[0] = new Progress(spec.commandLine().getErr(), "prepare", countImages(images));
                }
                p[0].update(i);
            });
            if (p[0] != null) {
                p[0].done();
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "prepared %d images at %d px -> %s (%d skipped; %.1f s, %.0f images/s)%n",
                    s.images(), resolution, out, s.skipped(), s.seconds(), (s.images() + s.skipped()) / s.seconds());
            return 0;
        }
    }

    static int countImages(Path images) {
        try (var src = io.ukiyoe.data.ImageSource.open(images)) {
            return src.names().size();
        }
    }

    @Command(name = "read", mixinStandardHelpOptions = true,
            description = "Read a dataset once through the training loader and report images/s (a benchmark).")
    static final class ReadCmd implements Callable<Integer> {
        @Option(names = "--images", required = true, paramLabel = "DIR|ZIP", description = "Folder, zip or prepared dataset.")
        Path images;

        @Option(names = "--resolution", required = true, paramLabel = "PX", description = "Size to read at.")
        int resolution;

        @Option(names = "--batch", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Args.positive("--resolution", resolution);
            Args.positive("--batch", batch);
            try (ImageDataset ds = ImageDataset.open(images, new ImageDataset.Options(resolution, Resample.Fit.CROP, false));
                 var loader = new io.ukiyoe.data.BatchLoader(ds, batch, 1, new io.ukiyoe.data.BatchLoader.Position(0, 0), 4)) {
                int batches = Math.max(1, ds.files() / batch);
                Progress p = new Progress(spec.commandLine().getErr(), "read", (long) batches * batch);
                long t0 = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    loader.next();
                    p.update((long) (i + 1) * batch);
                }
                p.done();
                double s = (System.nanoTime() - t0) / 1e9;
                spec.commandLine().getOut().printf(Locale.ROOT, "read %d images at %d px in %.2f s: %.0f images/s%n",
                        batches * batch, resolution, s, batches * batch / s);
            }
            return 0;
        }
    }

    @Command(name = "align", mixinStandardHelpOptions = true,
            description = "Align faces the FFHQ way from landmarks (Rekognition JSON, dlib 68 or five points), "
                    + "or from faces MTCNN finds (--detect DIR).")
    static final class AlignCmd implements Callable<Integer> {
        @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder or .zip of photos.")
        Path images;

        @picocli.CommandLine.Mixin
        FaceSources faceOptions = new FaceSources();

        @Option(names = "--size", defaultValue = "1024", description = "Output size (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the aligned faces and align-report.csv.")
        Path out;

        @Option(names = "--upscale-below", paramLabel = "PX",
                description = "With --upscaler: upscale the crop of every face whose FFHQ square is smaller than PX source pixels before resampling.")
        Integer upscaleBelow;

        @Option(names = "--upscaler", paramLabel = "ESRGAN.pth|.safetensors", description = "ESRGAN weights for --upscale-below.")
        Path upscaler;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Args.positive("--size", size);
            AlignJob.FaceSource faces = faceOptions.source("data align");
            if ((upscaleBelow == null) != (upscaler == null)) {
                throw new UserError("--upscale-below and --upscaler go together", 2, null);
            }
            AlignJob.Upscaling upscaling = null;
            if (upscaler != null) {
                Args.positive("--upscale-below", upscaleBelow);
                upscaling = new AlignJob.Upscaling(upscaleBelow, UpscaleCommand.load(upscaler, UpscaleCommand.TILE,
                        UpscaleCommand.OVERLAP));
            }
            Progress p = new Progress(spec.commandLine().getErr(), "align", countImages(images));
            AlignJob.Summary s = AlignJob.run(images, faces, size, out, upscaling, p::update);
            p.done();
            spec.commandLine().getOut().printf("aligned %d faces from %d images -> %s (%d skipped%s, see %s)%n", s.aligned(),
                    s.images(), out, s.skipped(), upscaling == null ? "" : ", " + s.upscaled() + " upscaled first",
                    out.resolve(AlignJob.REPORT));
            return 0;
        }
    }

    @Command(name = "detect", mixinStandardHelpOptions = true,
            description = "Find faces and five landmarks with MTCNN (facenet-pytorch's weights) and write one landmarks "
                    + "file that 'data align --format five-point' reads. Coordinates are pixels of the upright image "
                    + "(after its EXIF orientation).")
    static final class DetectCmd implements Callable<Integer> {
        static final int MIN_FACE = 20;
        static final String THRESHOLDS = "0.6,0.7,0.7";
        static final double FACTOR = 0.709;

        @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder or .zip of photos.")
        Path images;

        @Option(names = "--detector", required = true, paramLabel = "DIR",
                description = "Folder with facenet-pytorch's pnet.pt, rnet.pt and onet.pt (or the file 'ukiyoe import' makes of it).")
        Path detector;

        @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Landmarks file to write.")
        Path out;

        @Option(names = "--min-face", defaultValue = "" + MIN_FACE,
                description = "Smallest face to look for, in pixels (default: ${DEFAULT-VALUE}).")
        int minFace;

        @Option(names = "--thresholds", defaultValue = THRESHOLDS,
                description = "P-Net, R-Net, O-Net face-probability thresholds (default: ${DEFAULT-VALUE}).")
        String thresholds;

        @Option(names = "--factor", defaultValue = "" + FACTOR, description = "Pyramid scale step (default: ${DEFAULT-VALUE}).")
        double factor;

        @Option(names = "--grid", paramLabel = "FILE.png", description = "Also draw the photos with their boxes and points.")
        Path grid;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            io.ukiyoe.eval.faces.MtcnnFaces faces = io.ukiyoe.eval.faces.MtcnnFaces.load(detector, minFace, thresholds, factor);
            Progress p = new Progress(spec.commandLine().getErr(), "detect", countImages(images));
            DetectJob.Summary s = DetectJob.run(images, faces, out, grid, p::update);
            p.done();
            var o = spec.commandLine().getOut();
            s.withoutFaces().forEach((name, reason) -> o.printf("  %s: %s%n", name, reason));
            o.printf("found %d faces in %d images -> %s (%d images without a face%s)%n", s.faces(), s.images(), out,
                    s.withoutFaces().size(), grid == null ? "" : "; grid " + grid);
            return 0;
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Render procedural faces (photo | ukiyoe domain) with labels.csv; same seed, same images.")
    static final class SynthCmd implements Callable<Integer> {
        @Option(names = "--domain", required = true, description = "photo | ukiyoe.")
        String domain;

        @Option(names = "--n", required = true, description = "Number of images.")
        int n;

        @Option(names = "--size", defaultValue = "64", description = "Image size (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SynthFace.Domain d = switch (domain) {
                case "photo" -> SynthFace.Domain.PHOTO;
                case "ukiyoe" -> SynthFace.Domain.UKIYOE;
                default -> throw new UserError("--domain: must be photo or ukiyoe, got '" + domain + "'", 2, null);
            };
            Args.positive("--n", n);
            long t0 = System.nanoTime();
            Progress p = new Progress(spec.commandLine().getErr(), "synth", n);
            SynthSet.write(d, n, size, seed, out, p::update);
            p.done();
            double s = (System.nanoTime() - t0) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "rendered %d %s faces at %d px -> %s (%.1f s, %.0f images/min)%n",
                    n, domain, size, out, s, n / s * 60);
            return 0;
        }
    }
}
