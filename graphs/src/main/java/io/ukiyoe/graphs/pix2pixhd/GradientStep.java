package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.runtime.Backprop;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.vision.VggFeatures;
import io.ukiyoe.graphs.vision.VggLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pix2pixHD training step's losses and gradients as {@code pix2pixHD_model.forward} and
 * {@code train.py} compute them, with the ImagePool off: {@code fake = G(A)}; G's loss (LSGAN against 1
 * on {@code D(cat(A, fake))}, feature matching against {@code D(cat(A, B))}, VGG when weights are given)
 * differentiated w.r.t. G's tensors with D fixed; D's loss {@code 0.5 (D_fake + D_real)} w.r.t. D's
 * tensors with {@code fake} fixed. Two graphs, so each loss reaches only its own network, as upstream's
 * detaches and separate optimisers arrange. In each graph D judges the fake and the real pairs in one
 * pass (see {@link #judge}).
 *
 * <p>The graphs are built once for a batch shape; every {@link #step} reads the networks' current
 * values from the tensor maps of {@link Nets} (a trainer updates their arrays in place), so a training
 * loop pays for graph construction once.
 */
public final class GradientStep {
    /**
     * Networks and options of a step. {@code vggWeights} null: the VGG term is off. {@code lambdaL1} > 0
     * adds pix2pix's reconstruction term {@code lambda_L1 * mean |fake - B|} to G's loss (not in
     * pix2pixHD's recipe: a direct signal for students trained without VGG weights).
     */
    public record Nets(GeneratorConfig g, Map<String, Tensor> gTensors, DiscriminatorConfig d,
                       Map<String, Tensor> dTensors, Map<String, Tensor> vggWeights, double lambdaFeat, double lambdaL1) {
        /** pix2pixHD's losses only. */
        public Nets(GeneratorConfig g, Map<String, Tensor> gTensors, DiscriminatorConfig d, Map<String, Tensor> dTensors,
                    Map<String, Tensor> vggWeights, double lambdaFeat) {
            this(g, gTensors, d, dTensors, vggWeights, lambdaFeat, 0);
        }
    }

    /**
     * Losses by upstream name (in {@code losses.json} order), gradients by canonical name, and G(A). The
     * gradients are lent ({@link Backprop}): read them before this object's next {@link #step}.
     */
    public record Result(LinkedHashMap<String, Double> losses, LinkedHashMap<String, INDArray> gradsG,
                         LinkedHashMap<String, INDArray> gradsD, INDArray fake) {}

    private static final String A = "A";
    private static final String B = "B";
    private static final String FAKE = "fake";

    private final Nets nets;
    private final long[] shapeA;
    private final long[] shapeB;
    private final SameDiff gGraph;
    private final SameDiff dGraph;
    private final TorchWeights gInG;   // G's tensors in the G graph (differentiated)
    private final TorchWeights dInG;   // D's tensors in the G graph (not differentiated; variables so they keep
                                       // the torch layout that refresh copies into)
    private final TorchWeights dInD;   // D's tensors in the D graph (differentiated)
    private final List<String> gLosses = new ArrayList<>(List.of("loss_G_GAN", "loss_G_GAN_Feat"));

    /** The two graphs for label batches of {@code shapeA} [N, C, H, W] and target batches of {@code shapeB}. */
    public GradientStep(Nets nets, long[] shapeA, long[] shapeB) {
        checkShapes(nets, shapeA, shapeB);
        this.nets = nets;
        this.shapeA = shapeA.clone();
        this.shapeB = shapeB.clone();
        gGraph = graph();
        gInG = new TorchWeights(gGraph, nets.gTensors(), true, "G/");
        dInG = new TorchWeights(gGraph, nets.dTensors(), true, "D/");
        buildG();
        dGraph = graph();
        dInD = new TorchWeights(dGraph, nets.dTensors(), true, "D/");
        buildD();
    }

    /** One step before any update, on fresh graphs ({@code ukiyoe p2p grads}). */
    public static Result compute(Nets nets, INDArray a, INDArray b) {
        return new GradientStep(nets, a.shape(), b.shape()).step(a, b);
    }

    /** The shapes the graphs take: {@code [A, B]}. */
    public long[][] shapes() {
        return new long[][] {shapeA.clone(), shapeB.clone()};
    }

    private static void checkShapes(Nets nets, long[] a, long[] b) {
        int mult = nets.g().sizeMultiple();
        if (a.length != 4 || a[1] != nets.g().inputNc() || a[2] % mult != 0 || a[3] % mult != 0) {
            throw new IllegalArgumentException("A must be [N, " + nets.g().inputNc() + ", H, W] with H and W multiples of "
                    + mult + ", got " + Arrays.toString(a));
        }
        long[] want = {a[0], nets.g().outputNc(), a[2], a[3]};
        if (!Arrays.equals(want, b)) {
            throw new IllegalArgumentException("B must be " + Arrays.toString(want) + ", got " + Arrays.toString(b));
        }
        if (nets.d().inputNc() != nets.g().inputNc() + nets.g().outputNc()) {
            throw new IllegalArgumentException("the discriminator takes " + nets.d().inputNc() + " channels, but label + image have "
                    + (nets.g().inputNc() + nets.g().outputNc()));
        }
    }

    private SameDiff graph() {
        SameDiff sd = Graphs.create();
        sd.placeHolder(A, DataType.FLOAT, shapeA);
        sd.placeHolder(B, DataType.FLOAT, shapeB);
        return sd;
    }

    private void buildG() {
        SameDiff sd = gGraph;
        SDVariable fake = Generator.forward(sd, sd.getVariable(A), nets.g(), gInG).rename(FAKE);
        List<List<List<SDVariable>>> preds = judge(sd, fake, dInG);
        List<List<SDVariable>> predFake = preds.get(0);
        List<List<SDVariable>> predReal = preds.get(1);
        SDVariable total = Losses.lsgan(predFake, 1.0).rename("loss_G_GAN");
        SDVariable feat = nets.d().intermFeat()
                ? Losses.featureMatching(sd, predFake, predReal, nets.d().nLayers(), nets.lambdaFeat())
                : sd.constant(0f);
        total = total.add(feat.rename("loss_G_GAN_Feat"));
        if (nets.vggWeights() != null) {
            TorchWeights vw = new TorchWeights(sd, nets.vggWeights(), false, "VGG/");
            SDVariable vgg = VggLoss.loss(sd, VggFeatures.pix2pixHD(), vw, fake, sd.getVariable(B)).mul(nets.lambdaFeat())
                    .rename("loss_G_VGG");
            total = total.add(vgg);
            gLosses.add("loss_G_VGG");
        }
        if (nets.lambdaL1() > 0) {
            total = total.add(sd.math().abs(fake.sub(sd.getVariable(B))).mean().mul(nets.lambdaL1()).rename("loss_G_L1"));
            gLosses.add("loss_G_L1");
        }
        total.rename("loss_G").markAsLoss();
        gLosses.add("loss_G");
    }

    private void buildD() {
        SameDiff sd = dGraph;
        SDVariable fake = sd.placeHolder(FAKE, DataType.FLOAT, shapeB);
        List<List<List<SDVariable>>> preds = judge(sd, fake, dInD);
        List<List<SDVariable>> predFake = preds.get(0);
        List<List<SDVariable>> predReal = preds.get(1);
        SDVariable lossFake = Losses.lsgan(predFake, 0.0).rename("loss_D_fake");
        SDVariable lossReal = Losses.lsgan(predReal, 1.0).rename("loss_D_real");
        lossFake.add(lossReal).mul(0.5).rename("loss_D").markAsLoss();
    }

    /**
     * {@code D(cat(A, fake))} and {@code D(cat(A, B))} (each: per output slot, every layer's output) from
     * one pass over both batches stacked: D works per sample (instance norm included), so this is the
     * same function in half the ops.
     */
    private List<List<List<SDVariable>>> judge(SameDiff sd, SDVariable fake, TorchWeights w) {
        SDVariable a = sd.getVariable(A);
        SDVariable both = sd.concat(0, sd.concat(1, a, fake), sd.concat(1, a, sd.getVariable(B)));
        List<List<SDVariable>> all = MultiscaleDiscriminator.forward(sd, both, nets.d(), w);
        long n = shapeA[0];
        List<List<List<SDVariable>>> out = new ArrayList<>();
        for (long from : new long[] {0, n}) {
            List<List<SDVariable>> half = new ArrayList<>();
            for (List<SDVariable> slot : all) {
                half.add(slot.stream().map(x -> x.get(SDIndex.interval(from, from + n), SDIndex.all(), SDIndex.all(),
                        SDIndex.all())).toList());
            }
            out.add(half);
        }
        return out;
    }

    /** Losses and both networks' gradients at the networks' current values, for one batch pair. */
    public Result step(INDArray a, INDArray b) {
        check(a, shapeA, "A");
        check(b, shapeB, "B");
        LinkedHashMap<String, Double> losses = new LinkedHashMap<>();
        gInG.refresh(nets.gTensors(), "");
        dInG.refresh(nets.dTensors(), "");
        Map<String, INDArray> ph = Map.of(A, a, B, b);
        List<String> outs = new ArrayList<>(gLosses);
        outs.add(FAKE);
        OutAndGrad g = Backprop.run(gGraph, ph, outs, names(gInG));
        gLosses.forEach(n -> losses.put(n, g.getOutputs().get(n).getDouble(0)));
        INDArray fake = g.getOutputs().get(FAKE);
        LinkedHashMap<String, INDArray> gradsG = grads(gInG, g.getGradients());

        dInD.refresh(nets.dTensors(), "");
        List<String> dLosses = List.of("loss_D_real", "loss_D_fake", "loss_D");
        OutAndGrad d = Backprop.run(dGraph, Map.of(A, a, B, b, FAKE, fake), dLosses, names(dInD));
        dLosses.forEach(n -> losses.put(n, d.getOutputs().get(n).getDouble(0)));
        return new Result(losses, gradsG, grads(dInD, d.getGradients()), fake);
    }

    /** G(A) alone at G's current values (sample grids, held-out errors). */
    public INDArray generate(INDArray a) {
        check(a, shapeA, "A");
        gInG.refresh(nets.gTensors(), "");
        return gGraph.output(Map.of(A, a), FAKE).get(FAKE);
    }

    private static void check(INDArray x, long[] shape, String what) {
        if (!Arrays.equals(x.shape(), shape)) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(x.shape()) + ", the graphs take "
                    + Arrays.toString(shape));
        }
    }

    private static List<String> names(TorchWeights w) {
        return w.used().values().stream().map(SDVariable::name).toList();
    }

    private static LinkedHashMap<String, INDArray> grads(TorchWeights w, Map<String, INDArray> g) {
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        w.used().forEach((canonical, v) -> out.put(canonical, g.get(v.name())));
        return out;
    }
}
