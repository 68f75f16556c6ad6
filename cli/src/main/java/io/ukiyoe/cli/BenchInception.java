package io.ukiyoe.cli;

import io.ukiyoe.graphs.vision.FidInception;
import io.ukiyoe.graphs.vision.FidInceptionShapes;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe bench inception}: FID feature extraction speed at 299x299. */
@Command(name = "inception", mixinStandardHelpOptions = true,
        description = "Time pool3 feature extraction of the FID Inception on 299x299 images (random weights unless "
                + "--inception); prints images/s last (median pass after warm-up).")
final class BenchInception implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "32", description = "Images per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iters", defaultValue = "5", description = "Timed passes (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--size", defaultValue = "299", description = "Input size in pixels, resized to 299 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--inception", paramLabel = "FILE", description = "Real weights instead of random ones (same speed).")
    Path inception;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Args.positive("--batch", batch);
        Args.positive("--iters", iters);
        Args.positive("--size", size);
        FidInception net = inception != null ? FidInception.load(inception) : new FidInception(FidInceptionShapes.random(7));
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "FID Inception features, batch %d of %dx%d images (%s weights)%n", batch, size, size,
                inception != null ? "imported" : "random");
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, size, size);
        double median = BenchCommand.median(out, "pass", warmup, iters, () -> net.features(x).sumNumber());
        out.printf(Locale.ROOT, "images/s: %.2f%n", batch / median);
        return 0;
    }
}
