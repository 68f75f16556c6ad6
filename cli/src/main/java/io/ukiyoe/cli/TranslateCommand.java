package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.data.align.AlignJob;
import io.ukiyoe.eval.translate.FaceTranslateJob;
import io.ukiyoe.eval.translate.TranslateJob;
import io.ukiyoe.graphs.translate.Translator;
import io.ukiyoe.graphs.translate.Translators;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe translate}: images or an array through an image-to-image network (pix2pixHD generator). */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Run an image-to-image network (pix2pixHD generator, distilled student): a PNG per image in --out; "
                + "--npy also writes images.npy (float32 NCHW, raw tanh output). With --landmarks or --detect every face "
                + "of every photo is aligned first (FFHQ recipe) and translated: PHOTO_<face>.png, translate-report.csv "
                + "(photos without a face listed with the reason) and an optional --grid input | aligned | translated.")
final class TranslateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "G", description = "Generator model file (from 'ukiyoe import').")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--images", paramLabel = "DIR", description = "Folder of PNG/JPEG images (EXIF orientation applied).")
        Path images;

        @Option(names = "--input", paramLabel = "X.npy", description = "Float32 array [N, C, H, W] in [-1, 1].")
        Path array;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--npy", description = "Also write DIR/images.npy.")
    boolean npy;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Images per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @picocli.CommandLine.Mixin
    FaceSources faceOptions = new FaceSources();      // --landmarks, --format, --detect: align every face first

    @Option(names = "--face-size", defaultValue = "256", paramLabel = "PX",
            description = "With --landmarks/--detect: side of the aligned faces the network sees (default: ${DEFAULT-VALUE}).")
    int faceSize;

    @Option(names = "--grid", paramLabel = "FILE.png", description = "With --landmarks/--detect: input | aligned | translated, a row per face.")
    Path grid;

    @Option(names = "--size", paramLabel = "WxH", description = "Resize images to WxH (multiples of the network's 2^downsamplings); "
            + "default: each image's size rounded to the nearest multiple.")
    String size;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (faceOptions.given() || grid != null) {
            return faces();
        }
        int[] wh = size == null ? null : parseSize(size);
        TranslateJob.Options o = new TranslateJob.Options(out, npy, batch, wh);
        Translator t = Translators.load(model);
        var err = spec.commandLine().getErr();
        Progress[] bar = new Progress[1];
        TranslateJob.Progress progress = (done, total) -> {
            if (bar[0] == null) {
                bar[0] = new Progress(err, "translate", total);
            }
            bar[0].update(done);
        };
        int n = input.images != null ? TranslateJob.images(t, input.images, o, progress)
                : TranslateJob.array(t, input.array, o, progress);
        if (bar[0] != null) {
            bar[0].done();
        }
        spec.commandLine().getOut().printf("%d image(s) -> %s%s%n", n, out, npy ? " (+ images.npy)" : "");
        return 0;
    }

    /** Aligned faces of photos through the network. */
    private int faces() {
        if (input.images == null || npy || size != null || batch != 1) {
            throw new UserError("translate: --landmarks/--detect go with --images, without --input, --npy, --size or --batch",
                    2, null);
        }
        AlignJob.FaceSource faces = faceOptions.source("translate");
        Translator t = Translators.load(model);
        Progress bar = new Progress(spec.commandLine().getErr(), "translate", DataCommand.countImages(input.images));
        FaceTranslateJob.Summary s = FaceTranslateJob.run(t, input.images, faces, new FaceTranslateJob.Options(out,
                faceSize, grid), bar::update);
        bar.done();
        var o = spec.commandLine().getOut();
        s.withoutFaces().forEach((name, reason) -> o.printf("  %s: %s%n", name, reason));
        o.printf("%d face(s) from %d photo(s) -> %s (%d photo(s) without a face, %d face(s) skipped; see %s)%s%n",
                s.translated(), s.images(), out, s.withoutFaces().size(), s.skippedFaces(),
                out.resolve(FaceTranslateJob.REPORT), grid == null ? "" : "; grid " + grid);
        return 0;
    }

    static int[] parseSize(String s) {
        String[] parts = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new UserError("--size: expected WxH (e.g. 512x512), got '" + s + "'", 2, null);
    }
}
