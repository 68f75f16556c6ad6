package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.image.Upscaler;
import io.ukiyoe.data.upscale.TiledUpscaler;
import io.ukiyoe.data.upscale.UpscaleJob;
import io.ukiyoe.graphs.esrgan.EsrganFamily;
import io.ukiyoe.graphs.esrgan.RRDBNet;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe data upscale}: ESRGAN x4 over a folder of images or an array batch, tiled. */
@Command(name = "upscale", mixinStandardHelpOptions = true,
        description = "Upscale images 4x with an ESRGAN generator (original ESRGAN or BasicSR/Real-ESRGAN .pth, or a "
                + "ukiyoe.esrgan .safetensors), in blended tiles so memory stays bounded on large scans.")
final class UpscaleCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "ESRGAN.pth|.safetensors", description = "Generator weights.")
    Path model;

    @Option(names = "--images", paramLabel = "DIR", description = "Folder (recursive) or .zip of PNG/JPEG; writes one PNG each.")
    Path images;

    @Option(names = "--input", paramLabel = "X.npy", description = "With --npy: float32 [N, 3, H, W] RGB in [0, 1].")
    Path input;

    @Option(names = "--npy", description = "Read --input and write OUT/images.npy, the raw (unclamped) output.")
    boolean npy;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    /** Default tiling, shared with {@code data align --upscaler}. */
    static final int TILE = 128;
    static final int OVERLAP = 16;

    @Option(names = "--tile", defaultValue = "" + TILE, paramLabel = "PX",
            description = "Tile side in input pixels; 0 = whole images (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--tile-overlap", defaultValue = "" + OVERLAP, paramLabel = "PX",
            description = "Input pixels neighbouring tiles share and are blended over (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Spec
    CommandSpec spec;

    /** An ESRGAN generator file as a tiled upscaler. */
    static Upscaler load(Path model, int tile, int overlap) {
        return new TiledUpscaler(RRDBNet.of(EsrganFamily.load(model)), tile, overlap);
    }

    @Override
    public Integer call() throws Exception {
        if (npy != (input != null) || (images != null) == npy) {
            throw new UserError("give either --images DIR, or --input X.npy with --npy", 2, null);
        }
        if (tile < 0 || overlap < 0 || (tile > 0 && overlap >= tile)) {
            throw new UserError("--tile-overlap: must be at least 0 and smaller than --tile (" + tile + "), got " + overlap,
                    2, null);
        }
        Upscaler net = load(model, tile, overlap);
        UpscaleJob.Summary s;
        if (npy) {
            var batch = UpscaleJob.readBatch(input);
            Progress p = new Progress(spec.commandLine().getErr(), "upscale", batch.shape()[0]);
            s = UpscaleJob.npy(batch, out, net, p::update);
            p.done();
            spec.commandLine().getOut().printf(Locale.ROOT, "upscaled %d arrays x%d -> %s (%.1f s)%n", s.upscaled(),
                    net.scale(), out.resolve(UpscaleJob.NPY_OUT), s.seconds());
            return 0;
        }
        Progress p = new Progress(spec.commandLine().getErr(), "upscale", DataCommand.countImages(images));
        s = UpscaleJob.images(images, out, net, p::update);
        p.done();
        spec.commandLine().getOut().printf(Locale.ROOT, "upscaled %d images x%d -> %s (%d unreadable skipped%s; %.1f s)%n",
                s.upscaled(), net.scale(), out, s.skipped().size(),
                s.skipped().isEmpty() ? "" : ": " + String.join(", ", s.skipped().stream().limit(5).toList()), s.seconds());
        return 0;
    }
}
