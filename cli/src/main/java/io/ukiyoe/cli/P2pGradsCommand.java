package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pix2pixhd.GradientStep;
import io.ukiyoe.graphs.pix2pixhd.Losses;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles;
import io.ukiyoe.graphs.vision.VggFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe p2p grads}: one pix2pixHD training step's losses and gradients, to compare with PyTorch. */
@Command(name = "grads", mixinStandardHelpOptions = true,
        description = "One pix2pixHD step (fake = G(A), ImagePool off): losses.json, grads_G.npz (d loss_G / d G) "
                + "and grads_D.npz (d loss_D / d D), keyed by canonical names.")
final class P2pGradsCommand implements Callable<Integer> {
    @Option(names = "--generator", required = true, paramLabel = "G", description = "pix2pixHD generator (model file or .pth).")
    Path generator;

    @Option(names = "--discriminator", required = true, paramLabel = "D", description = "Multiscale discriminator (model file or .pth).")
    Path discriminator;

    @Option(names = "--a", required = true, paramLabel = "A.npy", description = "Input (label) images [N, C, H, W] in [-1, 1].")
    Path a;

    @Option(names = "--b", required = true, paramLabel = "B.npy", description = "Target images [N, C, H, W] in [-1, 1].")
    Path b;

    @Option(names = "--vgg", paramLabel = "VGG19.pth", description = "torchvision vgg19 state dict (features.N.weight); without one (or if the file is missing) the VGG term is off, with a warning.")
    Path vgg;

    @Option(names = "--lambda-feat", defaultValue = "10", paramLabel = "L", description = "Weight of feature matching and VGG (default: ${DEFAULT-VALUE}).")
    double lambdaFeat;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for losses.json and the .npz files.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var g = Pix2PixHDFiles.readGenerator(generator);
        var d = Pix2PixHDFiles.readDiscriminator(discriminator);
        INDArray as = Ops.array(Npy.read(a));
        INDArray bs = Ops.array(Npy.read(b));
        Map<String, Tensor> vggWeights = null;
        if (vgg != null && Files.isRegularFile(vgg)) {
            Map<String, Tensor> all = Pix2PixHDFiles.readStateDict(vgg);
            vggWeights = Pickles.orFail(vgg, () -> VggFeatures.pix2pixHD().select(all));
        } else {   // as the issue has it: no weights file, no VGG term (weights are never downloaded)
            spec.commandLine().getErr().println("warning: " + (vgg == null ? "no --vgg weights given" : vgg + " not found")
                    + ": the VGG loss term is off");
        }
        var nets = new GradientStep.Nets(g.config(), g.tensors(), d.config(), d.tensors(), vggWeights, lambdaFeat);
        GradientStep.Result r;
        try {
            r = Quiet.call(spec, () -> GradientStep.compute(nets, as, bs));
        } catch (IllegalArgumentException e) {
            throw new UserError(a + ", " + b + ": " + e.getMessage(), 2, null);
        }
        Map<String, Map<String, Tensor>> grads = new LinkedHashMap<>();
        grads.put("G", tensors(r.gradsG()));
        grads.put("D", tensors(r.gradsD()));
        GradsFiles.write(out, r.losses(), grads);
        spec.commandLine().getOut().printf("loss_G %.6f  loss_D %.6f -> %s%n", r.losses().get("loss_G"), r.losses().get("loss_D"), out);
        return 0;
    }

    private static Map<String, Tensor> tensors(Map<String, INDArray> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, NdArrays.tensor(v)));
        return out;
    }
}
