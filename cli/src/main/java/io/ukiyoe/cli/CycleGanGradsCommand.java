package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Shapes;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.training.cyclegan.CycleGanGraphs;
import io.ukiyoe.training.cyclegan.CycleGanNets.Net;
import io.ukiyoe.training.cyclegan.CycleGanNets;
import io.ukiyoe.training.cyclegan.Lambdas;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe cyclegan grads}: one CycleGAN step's losses and gradients (pools off), to compare with PyTorch. */
@Command(name = "grads", mixinStandardHelpOptions = true,
        description = "One CycleGAN training step's losses and gradients before any update, image pools off "
                + "(losses.json, grads_G_A/G_B/D_A/D_B.npz keyed by the state-dict keys with '.' -> '/').")
final class CycleGanGradsCommand implements Callable<Integer> {
    @Option(names = "--g-a", required = true, paramLabel = "G_A", description = "Generator A -> B (.pth state dict or imported .safetensors).")
    Path gA;

    @Option(names = "--g-b", required = true, paramLabel = "G_B", description = "Generator B -> A.")
    Path gB;

    @Option(names = "--d-a", required = true, paramLabel = "D_A", description = "Discriminator of domain B images.")
    Path dA;

    @Option(names = "--d-b", required = true, paramLabel = "D_B", description = "Discriminator of domain A images.")
    Path dB;

    @Option(names = "--a", required = true, paramLabel = "A.npy", description = "Domain A batch [N, C, H, W] in [-1, 1].")
    Path a;

    @Option(names = "--b", required = true, paramLabel = "B.npy", description = "Domain B batch, same shape.")
    Path b;

    @Option(names = "--lambda-a", defaultValue = "10", paramLabel = "L", description = "Cycle weight A -> B -> A (default: ${DEFAULT-VALUE}).")
    double lambdaA;

    @Option(names = "--lambda-b", defaultValue = "10", paramLabel = "L", description = "Cycle weight B -> A -> B (default: ${DEFAULT-VALUE}).")
    double lambdaB;

    @Option(names = "--lambda-identity", defaultValue = "0.5", paramLabel = "L",
            description = "Identity weight, a fraction of the cycle weights; 0 = no identity loss (default: ${DEFAULT-VALUE}).")
    double lambdaIdentity;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for losses.json and the .npz files.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(lambdaA >= 0 && lambdaB >= 0 && lambdaIdentity >= 0)) {
            throw new UserError("--lambda-a, --lambda-b, --lambda-identity: must be >= 0", 2, null);
        }
        Map<Net, Path> files = new EnumMap<>(Map.of(Net.G_A, gA, Net.G_B, gB, Net.D_A, dA, Net.D_B, dB));
        CycleGanNets nets = CycleGanNets.load(files);
        int c = nets.g().inputNc();
        int m = nets.g().sizeMultiple();
        INDArray xa = Ops.array(Npy.read(a));
        Shapes.check(a, xa, -1, c, -1, -1);
        INDArray xb = Ops.array(Npy.read(b));
        Shapes.check(b, xb, xa.shape());
        if (xa.size(2) % m != 0 || xa.size(3) % m != 0) {
            throw new UserError(a + ": H and W must be multiples of " + m + " (the generators' downsampling), got "
                    + xa.size(2) + "x" + xa.size(3));
        }
        if (nets.d().outputSize(xa.size(2)) < 1 || nets.d().outputSize(xa.size(3)) < 1) {
            throw new UserError(a + ": " + xa.size(2) + "x" + xa.size(3) + " is too small for the discriminators' "
                    + nets.d().nLayers() + " layers");
        }
        Lambdas l = new Lambdas(lambdaA, lambdaB, lambdaIdentity);
        CycleGanGraphs.StepResult r = Quiet.call(spec, () -> CycleGanGraphs.step(nets, l, xa, xb, List.of()));
        // everything computed before anything is written: no partial output on a failure
        Map<String, Map<String, Tensor>> grads = new LinkedHashMap<>();
        for (Net n : Net.values()) {
            grads.put(n.toString(), r.grads().get(n));
        }
        GradsFiles.write(out, r.losses(), grads);
        spec.commandLine().getOut().printf("loss_G %.6f  loss_D_A %.6f  loss_D_B %.6f -> %s%n", r.losses().get("loss_G"),
                r.losses().get("loss_D_A"), r.losses().get("loss_D_B"), out);
        return 0;
    }
}
