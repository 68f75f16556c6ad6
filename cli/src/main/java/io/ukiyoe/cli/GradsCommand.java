package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Shapes;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.training.StepGradients;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe grads}: one training step's losses and gradients, to compare with other implementations. */
@Command(name = "grads", mixinStandardHelpOptions = true,
        description = "One StyleGAN2 training step's losses and gradients (const noise, no mixing or augmentation).")
final class GradsCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Model with a discriminator.")
    Path model;

    @Option(names = "--z", required = true, paramLabel = "Z.npy", description = "Latents [B, z_dim].")
    Path z;

    @Option(names = "--real", required = true, paramLabel = "X.npy", description = "Real images [B, 3, R, R].")
    Path real;

    @Option(names = "--r1-gamma", defaultValue = "10", paramLabel = "G", description = "R1 weight gamma (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--pl-noise", paramLabel = "N.npy", description = "Path-length noise [B, 3, R, R] (used as given).")
    Path plNoise;

    @Option(names = "--pl-mean", defaultValue = "0", paramLabel = "M", description = "Path-length mean a (default: ${DEFAULT-VALUE}).")
    double plMean;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for losses.json and the .npz files.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StyleGanModel m = Models.load(model);
        int r = m.config().resolution();
        INDArray zs = Ops.array(Npy.read(z));
        Shapes.check(z, zs, -1, m.config().zDim());
        INDArray xs = Ops.array(Npy.read(real));
        Shapes.check(real, xs, zs.size(0), 3, r, r);
        INDArray noise = null;
        if (plNoise != null) {
            noise = Ops.array(Npy.read(plNoise));
            Shapes.check(plNoise, noise, zs.size(0), 3, r, r);
        }
        if (gamma < 0) {
            throw new UserError("--r1-gamma: must be >= 0, got " + gamma, 2, null);
        }
        INDArray plIn = noise;
        Progress bar = new Progress(spec.commandLine().getErr(), "grads", 3);   // after the inputs' checks: a bad one is one line
        bar.update(1, "D and G steps" + (plIn != null ? ", R1 and path length" : ", R1"));
        StepGradients.Result res = Quiet.call(spec, () -> new StepGradients(m).compute(zs, xs, plIn, gamma, plMean));
        Map<String, Object> losses = new LinkedHashMap<>();
        losses.put("loss_D", res.lossD());
        losses.put("loss_G", res.lossG());
        losses.put("r1", res.r1());
        losses.put("path_lengths", res.pathLengths());
        Map<String, Map<String, io.ukiyoe.core.io.Tensor>> grads = new LinkedHashMap<>();
        grads.put("D", res.gradsD());
        grads.put("G", res.gradsG());
        grads.put("R1", res.gradsR1());
        grads.put("PL", res.gradsPL());            // null without --pl-noise: no file
        bar.update(2, "writing " + out);
        GradsFiles.write(out, losses, grads);
        bar.update(3);
        bar.done();
        spec.commandLine().getOut().printf("loss_D %.6f  loss_G %.6f  r1 %.6g -> %s%n", res.lossD(), res.lossG(), res.r1(), out);
        return 0;
    }
}
