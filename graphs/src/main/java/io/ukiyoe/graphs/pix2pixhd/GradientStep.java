package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.nn.SessionMemory;
import io.ukiyoe.graphs.vision.VggFeatures;
import io.ukiyoe.graphs.vision.VggLoss;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pix2pixHD training step's losses and gradients as {@code pix2pixHD_model.forward} and
 * {@code train.py} compute them, with the ImagePool off: {@code fake = G(A)}; G's loss (LSGAN against 1
 * on {@code D(cat(A, fake))}, feature matching against {@code D(cat(A, B))}, VGG when weights are given)
 * differentiated w.r.t. G's tensors with D fixed; D's loss {@code 0.5 (D_fake + D_real)} w.r.t. D's
 * tensors with {@code fake} fixed. Two graphs, so each loss reaches only its own network, as upstream's
 * detaches and separate optimisers arrange.
 */
public final class GradientStep {
    /** Networks and options of a step. {@code vggWeights} null: the VGG term is off. */
    public record Nets(GeneratorConfig g, Map<String, Tensor> gTensors, DiscriminatorConfig d,
                       Map<String, Tensor> dTensors, Map<String, Tensor> vggWeights, double lambdaFeat) {}

    /** Losses by upstream name (in {@code losses.json} order), gradients by canonical name, and G(A). */
    public record Result(LinkedHashMap<String, Double> losses, LinkedHashMap<String, INDArray> gradsG,
                         LinkedHashMap<String, INDArray> gradsD, INDArray fake) {}

    private static final String A = "A";
    private static final String B = "B";
    private static final String FAKE = "fake";

    private GradientStep() {}

    public static Result compute(Nets nets, INDArray a, INDArray b) {
        SessionMemory.install();
        checkInputs(nets, a, b);
        LinkedHashMap<String, Double> losses = new LinkedHashMap<>();
        LinkedHashMap<String, INDArray> gradsG = new LinkedHashMap<>();
        INDArray fake = generatorSide(nets, a, b, losses, gradsG);
        LinkedHashMap<String, INDArray> gradsD = new LinkedHashMap<>();
        discriminatorSide(nets, a, b, fake, losses, gradsD);
        return new Result(losses, gradsG, gradsD, fake);
    }

    private static void checkInputs(Nets nets, INDArray a, INDArray b) {
        int mult = nets.g().sizeMultiple();
        if (a.rank() != 4 || a.size(1) != nets.g().inputNc() || a.size(2) % mult != 0 || a.size(3) % mult != 0) {
            throw new IllegalArgumentException("A must be [N, " + nets.g().inputNc() + ", H, W] with H and W multiples of "
                    + mult + ", got " + Arrays.toString(a.shape()));
        }
        long[] want = {a.size(0), nets.g().outputNc(), a.size(2), a.size(3)};
        if (!Arrays.equals(want, b.shape())) {
            throw new IllegalArgumentException("B must be " + Arrays.toString(want) + ", got " + Arrays.toString(b.shape()));
        }
        if (nets.d().inputNc() != nets.g().inputNc() + nets.g().outputNc()) {
            throw new IllegalArgumentException("the discriminator takes " + nets.d().inputNc() + " channels, but label + image have "
                    + (nets.g().inputNc() + nets.g().outputNc()));
        }
    }

    private static SameDiff graph(INDArray a, INDArray b) {
        SameDiff sd = SameDiff.create();
        sd.placeHolder(A, DataType.FLOAT, a.shape());
        sd.placeHolder(B, DataType.FLOAT, b.shape());
        return sd;
    }

    private static INDArray generatorSide(Nets nets, INDArray a, INDArray b, Map<String, Double> losses,
                                          Map<String, INDArray> grads) {
        SameDiff sd = graph(a, b);
        TorchWeights gw = new TorchWeights(sd, nets.gTensors(), true, "G/");
        TorchWeights dw = new TorchWeights(sd, nets.dTensors(), false, "D/");
        SDVariable fake = Generator.forward(sd, sd.getVariable(A), nets.g(), gw).rename(FAKE);
        List<List<SDVariable>> predFake = MultiscaleDiscriminator.forward(sd, sd.concat(1, sd.getVariable(A), fake), nets.d(), dw);
        List<List<SDVariable>> predReal = MultiscaleDiscriminator.forward(sd, sd.concat(1, sd.getVariable(A), sd.getVariable(B)), nets.d(), dw);
        SDVariable gan = Losses.lsgan(predFake, 1.0).rename("loss_G_GAN");
        SDVariable total = gan;
        SDVariable feat = nets.d().intermFeat()
                ? Losses.featureMatching(sd, predFake, predReal, nets.d().nLayers(), nets.lambdaFeat())
                : sd.constant(0f);
        feat = feat.rename("loss_G_GAN_Feat");
        total = total.add(feat);
        if (nets.vggWeights() != null) {
            TorchWeights vw = new TorchWeights(sd, nets.vggWeights(), false, "VGG/");
            SDVariable vgg = VggLoss.loss(sd, VggFeatures.pix2pixHD(), vw, fake, sd.getVariable(B)).mul(nets.lambdaFeat())
                    .rename("loss_G_VGG");
            total = total.add(vgg);
        }
        total = total.rename("loss_G");
        total.markAsLoss();
        Map<String, INDArray> ph = Map.of(A, a, B, b);
        List<String> names = new java.util.ArrayList<>(List.of("loss_G_GAN", "loss_G_GAN_Feat"));
        if (nets.vggWeights() != null) {
            names.add("loss_G_VGG");
        }
        names.add("loss_G");
        names.add(FAKE);
        Map<String, INDArray> out = sd.output(ph, names.toArray(String[]::new));
        for (String n : names) {
            if (!n.equals(FAKE)) {
                losses.put(n, out.get(n).getDouble(0));
            }
        }
        Map<String, INDArray> g = sd.calculateGradients(ph, gw.used().values().stream().map(SDVariable::name).toList());
        gw.used().forEach((canonical, v) -> grads.put(canonical, g.get(v.name())));
        return out.get(FAKE);
    }

    private static void discriminatorSide(Nets nets, INDArray a, INDArray b, INDArray fakeValue, Map<String, Double> losses,
                                          Map<String, INDArray> grads) {
        SameDiff sd = graph(a, b);
        SDVariable fake = sd.placeHolder(FAKE, DataType.FLOAT, fakeValue.shape());
        TorchWeights dw = new TorchWeights(sd, nets.dTensors(), true, "D/");
        List<List<SDVariable>> predFake = MultiscaleDiscriminator.forward(sd, sd.concat(1, sd.getVariable(A), fake), nets.d(), dw);
        List<List<SDVariable>> predReal = MultiscaleDiscriminator.forward(sd, sd.concat(1, sd.getVariable(A), sd.getVariable(B)), nets.d(), dw);
        SDVariable lossFake = Losses.lsgan(predFake, 0.0).rename("loss_D_fake");
        SDVariable lossReal = Losses.lsgan(predReal, 1.0).rename("loss_D_real");
        SDVariable loss = lossFake.add(lossReal).mul(0.5).rename("loss_D");
        loss.markAsLoss();
        Map<String, INDArray> ph = Map.of(A, a, B, b, FAKE, fakeValue);
        Map<String, INDArray> out = sd.output(ph, "loss_D_real", "loss_D_fake", "loss_D");
        for (String n : List.of("loss_D_real", "loss_D_fake", "loss_D")) {
            losses.put(n, out.get(n).getDouble(0));
        }
        Map<String, INDArray> g = sd.calculateGradients(ph, dw.used().values().stream().map(SDVariable::name).toList());
        dw.used().forEach((canonical, v) -> grads.put(canonical, g.get(v.name())));
    }
}
