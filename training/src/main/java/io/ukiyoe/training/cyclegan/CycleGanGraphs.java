package io.ukiyoe.training.cyclegan;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.cyclegan.NLayerDiscriminator;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.pix2pixhd.GlobalGenerator;
import io.ukiyoe.graphs.runtime.Backprop;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.training.cyclegan.CycleGanNets.Net;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One CycleGAN optimisation step's two graphs, as {@code CycleGANModel.optimize_parameters} computes it.
 *
 * <p>The G graph: {@code fake_B = G_A(real_A)}, {@code rec_A = G_B(fake_B)}, {@code fake_A = G_B(real_B)},
 * {@code rec_B = G_A(fake_A)}, identity images {@code G_A(real_B)}, {@code G_B(real_A)}; LSGAN losses
 * {@code mean((D(fake) - 1)^2)}, cycle and identity L1 (identity weighted crosswise: {@code loss_idt_A}
 * by {@code lambda_B * lambda_identity}), summed left to right into {@code loss_G}, differentiated
 * w.r.t. both generators only (the discriminators' weights enter as variables whose gradients are not
 * taken). The D graph: {@code loss_D_A = (mean((D_A(real_B) - 1)^2) + mean(D_A(fake_B)^2)) / 2} on
 * fakes fed in (detached; from an image pool in training), likewise {@code loss_D_B}; their sum is
 * differentiated w.r.t. both discriminators (each only reaches its own).
 *
 * <p>A generator runs once on a domain's real batch and the other domain's (identity) batch together:
 * instance norm works per sample, so this is the same function in fewer ops; likewise each D judges
 * its real and fake batches in one pass.
 */
public final class CycleGanGraphs {
    /** Loss terms in the order {@code losses.json} lists them. */
    public static final List<String> G_LOSSES = List.of("loss_G_A", "loss_G_B", "loss_cycle_A", "loss_cycle_B",
            "loss_idt_A", "loss_idt_B", "loss_G");
    public static final List<String> D_LOSSES = List.of("loss_D_A", "loss_D_B", "loss_D_A_real", "loss_D_A_fake",
            "loss_D_B_real", "loss_D_B_fake");

    private final CycleGanNets nets;
    private final Lambdas lambdas;
    private final long[] shape;
    private final SameDiff gGraph = Graphs.create();
    private final SameDiff dGraph = Graphs.create();
    private final Map<Net, TorchWeights> inG = new EnumMap<>(Net.class);
    private final Map<Net, TorchWeights> inD = new EnumMap<>(Net.class);

    /**
     * Graphs for batches of {@code shape} [N, C, H, W] (both domains); the weights are read from
     * {@code nets} at every call, so a trainer that updates them in place needs no rebuild.
     */
    public CycleGanGraphs(CycleGanNets nets, Lambdas lambdas, long[] shape) {
        this.nets = nets;
        this.lambdas = lambdas;
        this.shape = shape.clone();
        if (shape.length != 4 || shape[1] != nets.g().inputNc()) {
            throw new IllegalArgumentException("batches must be [N, " + nets.g().inputNc() + ", H, W], got "
                    + Arrays.toString(shape));
        }
        for (Net n : Net.values()) {
            inG.put(n, new TorchWeights(gGraph, nets.get(n), true, n.scope()));
            if (!n.generator()) {
                inD.put(n, new TorchWeights(dGraph, nets.get(n), true, n.scope()));
            }
        }
        buildG();
        buildD();
    }

    public long[] shape() {
        return shape.clone();
    }

    private SDVariable gen(Net n, SDVariable x) {
        return GlobalGenerator.forward(gGraph, x, nets.g(), inG.get(n), "model/");
    }

    private static SDVariable rows(SDVariable x, long from, long to) {
        return x.get(SDIndex.interval(from, to), SDIndex.all(), SDIndex.all(), SDIndex.all());
    }

    private static SDVariable mse(SameDiff sd, SDVariable x, double target) {
        SDVariable d = target == 0 ? x : x.sub(target);
        return d.mul(d).mean();
    }

    private static SDVariable l1(SameDiff sd, SDVariable x, SDVariable y) {
        return sd.math().abs(x.sub(y)).mean();
    }

    private void buildG() {
        SameDiff sd = gGraph;
        long n = shape[0];
        SDVariable realA = sd.placeHolder("real_A", DataType.FLOAT, shape);
        SDVariable realB = sd.placeHolder("real_B", DataType.FLOAT, shape);
        boolean identity = lambdas.identity() > 0;
        SDVariable fakeB, fakeA, idtA = null, idtB = null;
        if (identity) {
            SDVariable outA = gen(Net.G_A, sd.concat(0, realA, realB));
            SDVariable outB = gen(Net.G_B, sd.concat(0, realB, realA));
            fakeB = rows(outA, 0, n);
            idtA = rows(outA, n, 2 * n);
            fakeA = rows(outB, 0, n);
            idtB = rows(outB, n, 2 * n);
        } else {
            fakeB = gen(Net.G_A, realA);
            fakeA = gen(Net.G_B, realB);
        }
        fakeB = sd.identity("fake_B", fakeB);
        fakeA = sd.identity("fake_A", fakeA);
        SDVariable recA = sd.identity("rec_A", gen(Net.G_B, fakeB));
        SDVariable recB = sd.identity("rec_B", gen(Net.G_A, fakeA));
        NLayerDiscriminator d = new NLayerDiscriminator(nets.d());
        SDVariable lossGA = sd.identity("loss_G_A", mse(sd, d.logits(sd, fakeB, inG.get(Net.D_A)::get), 1));
        SDVariable lossGB = sd.identity("loss_G_B", mse(sd, d.logits(sd, fakeA, inG.get(Net.D_B)::get), 1));
        SDVariable cycleA = sd.identity("loss_cycle_A", l1(sd, recA, realA).mul(lambdas.a()));
        SDVariable cycleB = sd.identity("loss_cycle_B", l1(sd, recB, realB).mul(lambdas.b()));
        SDVariable idtLossA, idtLossB;
        if (identity) {
            sd.identity("idt_A", idtA);
            sd.identity("idt_B", idtB);
            idtLossA = sd.identity("loss_idt_A", l1(sd, idtA, realB).mul(lambdas.b() * lambdas.identity()));
            idtLossB = sd.identity("loss_idt_B", l1(sd, idtB, realA).mul(lambdas.a() * lambdas.identity()));
        } else {
            idtLossA = sd.identity("loss_idt_A", sd.constant(Nd4j.scalar(0f)));
            idtLossB = sd.identity("loss_idt_B", sd.constant(Nd4j.scalar(0f)));
        }
        sd.identity("loss_G", lossGA.add(lossGB).add(cycleA).add(cycleB).add(idtLossA).add(idtLossB));
        sd.setLossVariables("loss_G");
    }

    private void buildD() {
        SameDiff sd = dGraph;
        long n = shape[0];
        SDVariable realA = sd.placeHolder("real_A", DataType.FLOAT, shape);
        SDVariable realB = sd.placeHolder("real_B", DataType.FLOAT, shape);
        SDVariable fakeA = sd.placeHolder("fake_A", DataType.FLOAT, shape);
        SDVariable fakeB = sd.placeHolder("fake_B", DataType.FLOAT, shape);
        NLayerDiscriminator d = new NLayerDiscriminator(nets.d());
        SDVariable lossA = dLoss(sd, "A", d.logits(sd, sd.concat(0, realB, fakeB), inD.get(Net.D_A)::get), n);
        SDVariable lossB = dLoss(sd, "B", d.logits(sd, sd.concat(0, realA, fakeA), inD.get(Net.D_B)::get), n);
        sd.identity("loss_D", lossA.add(lossB));
        sd.setLossVariables("loss_D");
    }

    /** backward_D_basic: (MSE(D(real), 1) + MSE(D(fake), 0)) * 0.5, from logits of [real; fake]. */
    private static SDVariable dLoss(SameDiff sd, String side, SDVariable logits, long n) {
        SDVariable real = sd.identity("loss_D_" + side + "_real", mse(sd, rows(logits, 0, n), 1));
        SDVariable fake = sd.identity("loss_D_" + side + "_fake", mse(sd, rows(logits, n, 2 * n), 0));
        return sd.identity("loss_D_" + side, real.add(fake).mul(0.5));
    }

    /** What the G half of a step gives: its losses, the images, and d(loss_G)/d(G_A, G_B). */
    public record GResult(Map<String, Double> losses, Map<String, INDArray> images, Map<Net, Map<String, Tensor>> grads) {}

    /** What the D half gives: its losses and d(loss_D_A)/d(D_A), d(loss_D_B)/d(D_B). */
    public record DResult(Map<String, Double> losses, Map<Net, Map<String, Tensor>> grads) {}

    /** The generators' losses and gradients for one batch pair; {@code images} names e.g. fake_A, rec_B. */
    public GResult generators(INDArray realA, INDArray realB, List<String> images) {
        check(realA, "real_A");
        check(realB, "real_B");
        load(inG);
        List<String> outs = new ArrayList<>(G_LOSSES);
        outs.addAll(images);
        OutAndGrad r = Backprop.run(gGraph, Map.of("real_A", realA, "real_B", realB), outs,
                variables(inG, true));
        Map<String, INDArray> o = r.getOutputs();
        Map<String, Double> losses = new LinkedHashMap<>();
        G_LOSSES.forEach(k -> losses.put(k, o.get(k).getDouble(0)));
        Map<String, INDArray> imgs = new LinkedHashMap<>();
        images.forEach(k -> imgs.put(k, o.get(k)));
        return new GResult(losses, imgs, grads(inG, r.getGradients(), true));
    }

    /** The discriminators' losses and gradients against reals and (pooled, detached) fakes. */
    public DResult discriminators(INDArray realA, INDArray realB, INDArray fakeA, INDArray fakeB) {
        check(realA, "real_A");
        check(realB, "real_B");
        check(fakeA, "fake_A");
        check(fakeB, "fake_B");
        load(inD);
        OutAndGrad r = Backprop.run(dGraph, Map.of("real_A", realA, "real_B", realB, "fake_A", fakeA,
                "fake_B", fakeB), D_LOSSES, variables(inD, false));
        Map<String, Double> losses = new LinkedHashMap<>();
        D_LOSSES.forEach(k -> losses.put(k, r.getOutputs().get(k).getDouble(0)));
        return new DResult(losses, grads(inD, r.getGradients(), false));
    }

    /** One step's losses (G's, then D's), every network's gradient, and the G graph's images. */
    public record StepResult(Map<String, Double> losses, Map<Net, Map<String, Tensor>> grads, Map<String, INDArray> images) {}

    /**
     * One step before any update with the image pools off (D judges this step's fakes), as
     * {@code ukiyoe cyclegan grads} reports it: {@code images} lists the G graph's images to return.
     */
    public static StepResult step(CycleGanNets nets, Lambdas lambdas, INDArray realA, INDArray realB, List<String> images) {
        CycleGanGraphs graphs = new CycleGanGraphs(nets, lambdas, realA.shape());
        List<String> wanted = new ArrayList<>(images);
        for (String k : List.of("fake_A", "fake_B")) {
            if (!wanted.contains(k)) {
                wanted.add(k);
            }
        }
        GResult g = graphs.generators(realA, realB, wanted);
        DResult d = graphs.discriminators(realA, realB, g.images().get("fake_A"), g.images().get("fake_B"));
        Map<String, Double> losses = new LinkedHashMap<>(g.losses());
        losses.putAll(d.losses());
        Map<Net, Map<String, Tensor>> grads = new EnumMap<>(Net.class);
        grads.putAll(g.grads());
        grads.putAll(d.grads());
        Map<String, INDArray> imgs = new LinkedHashMap<>();
        images.forEach(k -> imgs.put(k, g.images().get(k)));
        return new StepResult(losses, grads, imgs);
    }

    /** Images of the G graph without gradients (sample grids): e.g. fake_B, rec_A. */
    public Map<String, INDArray> images(INDArray realA, INDArray realB, String... names) {
        check(realA, "real_A");
        check(realB, "real_B");
        load(inG);
        return gGraph.output(Map.of("real_A", realA, "real_B", realB), names);
    }

    private void check(INDArray x, String what) {
        if (!Arrays.equals(x.shape(), shape)) {
            throw new IllegalArgumentException(what + " has shape " + Arrays.toString(x.shape()) + ", the graphs take "
                    + Arrays.toString(shape));
        }
    }

    /** Copies the networks' current values into a graph's variables. */
    private void load(Map<Net, TorchWeights> weights) {
        weights.forEach((n, w) -> w.refresh(nets.get(n), n + " "));
    }

    private static List<String> variables(Map<Net, TorchWeights> weights, boolean generators) {
        List<String> out = new ArrayList<>();
        weights.forEach((n, w) -> {
            if (n.generator() == generators) {
                w.used().values().forEach(v -> out.add(v.name()));
            }
        });
        return out;
    }

    /** Gradients by canonical name, in the network's own (state-dict) order. */
    private Map<Net, Map<String, Tensor>> grads(Map<Net, TorchWeights> weights, Map<String, INDArray> g, boolean generators) {
        Map<Net, Map<String, Tensor>> out = new EnumMap<>(Net.class);
        weights.forEach((n, w) -> {
            if (n.generator() == generators) {
                Map<String, Tensor> m = new LinkedHashMap<>();
                for (String name : nets.get(n).keySet()) {
                    m.put(name, NdArrays.tensor(g.get(w.used().get(name).name())));
                }
                out.put(n, m);
            }
        });
        return out;
    }
}
