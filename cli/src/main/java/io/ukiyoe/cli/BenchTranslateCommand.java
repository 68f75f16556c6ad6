package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.pix2pixhd.GeneratorConfig;
import io.ukiyoe.graphs.pix2pixhd.GlobalGeneratorConfig;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe bench translate}: the pix2pixHD global generator's forward pass with random weights. */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Time the pix2pixHD global generator (random weights; 182 M parameters at the defaults) on a "
                + "square image; prints the process's peak memory and, last, seconds/image (median after warm-up).")
final class BenchTranslateCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "512", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--ngf", defaultValue = "64", description = "Width of the first conv (default: ${DEFAULT-VALUE}).")
    int ngf;

    @Option(names = "--n-downsampling", defaultValue = "4", description = "Stride-2 convs (default: ${DEFAULT-VALUE}).")
    int nDownsampling;

    @Option(names = "--n-blocks", defaultValue = "9", description = "Residual blocks (default: ${DEFAULT-VALUE}).")
    int nBlocks;

    @Option(names = "--batch", defaultValue = "1", description = "Images per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iters", defaultValue = "3", description = "Timed passes (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (ngf < 1 || nDownsampling < 0 || nDownsampling > 8 || nBlocks < 0 || batch < 1 || iters < 1 || warmup < 0
                || size < 1 || size % (1 << nDownsampling) != 0) {
            throw new UserError("bench translate: --size must be a positive multiple of 2^n_downsampling; ngf, batch and iters positive", 2, null);
        }
        GeneratorConfig c = GeneratorConfig.global(GlobalGeneratorConfig.of(3, 3, ngf, nDownsampling, nBlocks));
        var out = spec.commandLine().getOut();
        out.printf("pix2pixHD global generator (ngf %d, n_downsampling %d, n_blocks %d), %,d parameters, %dx%d, batch %d%n",
                ngf, nDownsampling, nBlocks, c.parameterCount(), size, size, batch);
        Pix2PixHDTranslator t = Pix2PixHDTranslator.random(c, 17);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, size, size).muli(2).subi(1);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        double median = BenchCommand.median(out, "pass", warmup, iters, () -> t.translate(x).sumNumber());
        // CPU time says what the passes cost when other processes share the cores (wall time then inflates)
        double cpuPerPass = (os.getProcessCpuTime() - cpu0) / 1e9 / (warmup + iters);
        out.printf("cpu seconds/image: %.3f (all passes; wall %.3f)%n", cpuPerPass / batch,
                (System.nanoTime() - wall0) / 1e9 / (warmup + iters) / batch);
        out.printf("peak memory: %s%n", peakMemory());
        out.printf("seconds/image: %.3f%n", median / batch);
        return 0;
    }

    /** The process's peak resident memory (VmHWM: heap, JVM and native arrays together), or "unknown" off Linux. */
    static String peakMemory() {
        long peak = statusKb("VmHWM:");
        if (peak < 0) {
            return "unknown";
        }
        // what the resident set holds at the end: anonymous memory (heap, arrays, pools) vs mapped files (libraries)
        return String.format("%.2f GiB (peak resident set, VmHWM; at the end %.2f GiB anonymous, %.2f GiB files)",
                peak / 1048576.0, statusKb("RssAnon:") / 1048576.0, statusKb("RssFile:") / 1048576.0);
    }

    /**
     * The memory in use now: resident set (off Linux omitted), the buffers pooled for reuse by the
     * graphs' sessions, and the Java heap in use.
     */
    static String memoryNow() {
        long rss = statusKb("VmRSS:");
        Runtime rt = Runtime.getRuntime();
        return String.format("%spooled %.2f GiB, heap %.2f GiB", rss < 0 ? "" : String.format("resident %.2f GiB, ", rss / 1048576.0),
                io.ukiyoe.graphs.runtime.SessionMemory.pooledBytes() / 1073741824.0,
                (rt.totalMemory() - rt.freeMemory()) / 1073741824.0);
    }

    /** A kB figure of /proc/self/status, or -1 off Linux. */
    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
