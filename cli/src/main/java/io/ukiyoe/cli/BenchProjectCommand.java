package io.ukiyoe.cli;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.vision.Lpips;
import io.ukiyoe.graphs.vision.VggFeatures;
import io.ukiyoe.training.project.PerceptualLoss;
import io.ukiyoe.training.project.Projector;
import io.ukiyoe.training.project.ProjectorSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe bench project}: seconds per projection step (config-f G + LPIPS VGG16, batch 1, random weights). */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = "Time projection steps: config-f generator + LPIPS VGG16 (torchvision widths), batch 1, random "
                + "weights, W+; prints the median step and, last, 'seconds/step: X'.")
final class BenchProjectCommand implements Callable<Integer> {
    @Option(names = "--resolution", defaultValue = "256", description = "Generator resolution (default: ${DEFAULT-VALUE}).")
    int resolution;

    @Option(names = "--iters", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Spec
    CommandSpec spec;

    /** torchvision-shaped VGG16 features and lpips lin weights, random (kaiming-normal convs, non-negative lin). */
    static Lpips randomLpips(long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> vgg = new LinkedHashMap<>();
        VggFeatures.lpips().expectedShapes().forEach((name, shape) -> {
            float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
            double std = shape.length == 4 ? Math.sqrt(2.0 / (shape[0] * 9)) : 0.01;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * std);
            }
            vgg.put(name.replace('/', '.'), new Tensor(shape, v));
        });
        Map<String, Tensor> lin = new LinkedHashMap<>();
        int[] widths = VggFeatures.lpips().sliceWidths();
        for (int k = 0; k < widths.length; k++) {
            float[] v = new float[widths[k]];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.abs(r.nextGaussian() * 0.1);
            }
            lin.put("lin" + k + ".model.1.weight", new Tensor(new long[] {1, widths[k], 1, 1}, v));
        }
        return Lpips.of(vgg, lin);
    }

    @Override
    public Integer call() {
        Args.positive("--iters", iters);
        if (resolution < 16 || resolution > 1024 || Integer.bitCount(resolution) != 1) {
            throw new io.ukiyoe.core.UserError("bench project: --resolution must be a power of two in [16, 1024]", 2, null);
        }
        StyleGanConfig c = StyleGanConfig.of(resolution, 512, 512, 8, StyleGanConfig.adaChannels(resolution, 32768, 512));
        var out = spec.commandLine().getOut();
        Projector p = Quiet.call(spec, () -> new Projector(BenchCommand.randomModel(c, 7), PerceptualLoss.lpips(randomLpips(8)),
                ProjectorSettings.DEFAULTS.withWPlus(true).withMeanSamples(1000)));
        int size = p.targetSize();
        out.printf(Locale.ROOT, "projection step: config-f generator at %d px + LPIPS VGG16 at %d px, batch 1, W+, random weights%n",
                resolution, size);
        INDArray target = Nd4j.rand(DataType.FLOAT, 1, 3, size, size).muli(2).subi(1);
        Projector.Run run = p.start(target, p.latentStats(), null, null);
        double median = Quiet.call(spec, () -> BenchCommand.median(out, "step", warmup, iters, run::step));
        out.printf(Locale.ROOT, "seconds/step: %.3f%n", median);
        return 0;
    }
}
