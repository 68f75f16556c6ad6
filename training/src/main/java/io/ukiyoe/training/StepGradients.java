package io.ukiyoe.training;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.DiscriminatorGraph;
import io.ukiyoe.graphs.stylegan2.GeneratorGraph;
import io.ukiyoe.graphs.stylegan2.GeneratorInputGradient;
import io.ukiyoe.graphs.runtime.Backprop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One StyleGAN2 training step's losses and gradients (constant noise, no mixing, no augmentation),
 * for checking against other implementations.
 *
 * <p>The non-saturating logistic losses of G and D are differentiated exactly by SameDiff. SameDiff
 * cannot differentiate a gradient, so both regularisers write the gradient they penalise as a graph
 * of forward ops, which SameDiff then differentiates: exact, in float32. R1 uses D's input gradient
 * ({@link DiscriminatorGraph#inputGradient}), the path length G's latent gradient
 * ({@link GeneratorInputGradient}, in {@link PathLengthGraph}).
 */
public final class StepGradients {
    /** Everything {@code ukiyoe grads} writes. */
    public record Result(double lossD, double lossG, double r1, double[] pathLengths, Map<String, Tensor> gradsD,
                         Map<String, Tensor> gradsG, Map<String, Tensor> gradsR1, Map<String, Tensor> gradsPL) {}

    private final StyleGanModel model;

    public StepGradients(StyleGanModel model) {
        if (!model.hasDiscriminator()) {
            throw new io.ukiyoe.core.UserError("the model has no discriminator: gradients of D need one");
        }
        this.model = model;
    }

    /** R1 = mean over the batch of |grad_x sum D(x)|^2, and the gradient of gamma/2 x R1 w.r.t. D. */
    public record R1(double r1, Map<String, Tensor> grads) {}

    /**
     * R1 exactly, in float32: D's input gradient built as an explicit graph of forward ops
     * ({@link DiscriminatorGraph#inputGradient}), squared and summed, then differentiated by SameDiff
     * w.r.t. D's parameters. Gradients of gamma/2 x R1.
     */
    public R1 r1(INDArray real, double r1Gamma) {
        return new R1Graph(model, real.size(0), r1Gamma).run(model.tensors(), real);
    }

    /**
     * The R1 graph of {@link #r1}, built once for a batch size and gamma and run on whatever D
     * parameters it is given: a training run's lazy R1 steps then build no graph and allocate no
     * parameters (at config-f widths building it took longer than the step).
     */
    public static final class R1Graph {
        private final SameDiff sd;
        private final Map<String, long[]> params;      // D's, canonical names and shapes
        private final List<String> trainable;

        public R1Graph(StyleGanModel model, long batch, double r1Gamma) {
            this.sd = new StepGradients(model).inputGradientGraph(batch);   // (checks that D is there)
            SDVariable gx = sd.getVariable("input_grad");
            SDVariable penalty = sd.identity("r1", gx.mul(gx).sum(1, 2, 3).mean());
            sd.identity("loss", penalty.mul(r1Gamma / 2));
            sd.setLossVariables("loss");
            this.params = Names.discriminator(model.config());
            this.trainable = trainable(sd);
        }

        /** R1 of reals {@code real} for D's parameters in {@code d} (any others are ignored). */
        public R1 run(Map<String, Tensor> d, INDArray real) {
            for (String name : trainable) {
                Tensor t = d.get(name);
                if (t == null) {
                    throw new IllegalArgumentException("no value for D's parameter " + name);
                }
                if (!java.util.Arrays.equals(t.shape(), params.get(name))) {
                    throw new IllegalArgumentException(name + ": shape " + java.util.Arrays.toString(t.shape())
                            + ", D has " + java.util.Arrays.toString(params.get(name)));
                }
                Graphs.setValues(sd.getVariable(name), t.shape(), t.data());
            }
            OutAndGrad o = Backprop.run(sd, Map.of("x", real.castTo(DataType.FLOAT)), List.of("r1"), trainable);
            return new R1(o.getOutputs().get("r1").getDouble(0), tensors(o.getGradients(), params));
        }
    }

    /** D's input gradient grad_x sum D(x) from the explicit graph (for checking it against SameDiff's own). */
    INDArray inputGradient(INDArray real) {
        return inputGradientGraph(real.size(0)).output(Map.of("x", real.castTo(DataType.FLOAT)), "input_grad")
                .get("input_grad");
    }

    /** Placeholder "x" [batch, 3, R, R] -> "input_grad" = grad_x sum D(x) as a graph of forward ops, D trainable. */
    private SameDiff inputGradientGraph(long batch) {
        int r = model.config().resolution();
        SameDiff sd = Graphs.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, batch, 3, r, r);
        sd.identity("input_grad", new DiscriminatorGraph(sd, model, true).inputGradient(x, model.config().mbstdGroupFor(batch)));
        return sd;
    }

    /** SameDiff's own gradient of sum D(x) w.r.t. x, float32. */
    INDArray inputGradientBySameDiff(INDArray real) {
        SameDiff d = Graphs.create();
        int r = model.config().resolution();
        SDVariable x = d.placeHolder("x", DataType.FLOAT, real.size(0), 3, r, r);
        d.sum("sum", new DiscriminatorGraph(d, model, true).logits(x, model.config().mbstdGroupFor(real.size(0))));
        d.setLossVariables("sum");
        d.createGradFunction("x");
        return d.calculateGradients(Map.of("x", real.castTo(DataType.FLOAT)), "x").get("x");
    }

    /** Placeholders "ws" [B, L, D] and "pl_noise" [B, 3, R, R] -> "h" = sum(G(ws) * pl_noise), const noise; G trainable. */
    private SameDiff latentGraph(long batch, boolean explicit) {
        int r = model.config().resolution();
        SameDiff s = Graphs.create();
        GeneratorGraph sg = new GeneratorGraph(s, model, true);
        SDVariable wsIn = s.placeHolder("ws", DataType.FLOAT, batch, model.config().numWs(), model.config().wDim());
        SDVariable noiseIn = s.placeHolder("pl_noise", DataType.FLOAT, batch, 3, r, r);
        if (explicit) {
            s.identity("latent_grad", GeneratorInputGradient.build(sg, wsIn, GeneratorGraph.Noise.CONST, noiseIn)
                    .wsGradient());
            return s;
        }
        s.sum("h", sg.synthesis(wsIn, GeneratorGraph.Noise.CONST).mul(noiseIn));
        s.setLossVariables("h");
        s.createGradFunction("ws");
        return s;
    }

    /** J = grad_ws sum(G(ws) * pl_noise) [B, L, D] from the explicit graph (for checking it against SameDiff's own). */
    INDArray latentGradient(INDArray ws, INDArray plNoise) {
        return latentGraph(ws.size(0), true).output(Map.of("ws", ws.castTo(DataType.FLOAT), "pl_noise",
                plNoise.castTo(DataType.FLOAT)), "latent_grad").get("latent_grad");
    }

    /** SameDiff's own J, float32. */
    INDArray latentGradientBySameDiff(INDArray ws, INDArray plNoise) {
        return latentGraph(ws.size(0), false).calculateGradients(Map.of("ws", ws.castTo(DataType.FLOAT), "pl_noise",
                plNoise.castTo(DataType.FLOAT)), "ws").get("ws");
    }

    private static List<String> trainable(SameDiff sd) {
        List<String> out = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                out.add(v.name());
            }
        }
        return out;
    }

    private static Map<String, INDArray> grads(SameDiff sd, String loss, Map<String, INDArray> feed, List<String> wrt) {
        sd.setLossVariables(loss);
        return sd.calculateGradients(feed, wrt);
    }

    public Result compute(INDArray z, INDArray real, INDArray plNoise, double r1Gamma, double plMean) {
        long batch = z.size(0);
        // ---- G forward (const noise) and its latents
        SameDiff g = Graphs.create();
        GeneratorGraph gg = new GeneratorGraph(g, model, true);
        SDVariable zin = g.placeHolder("z", DataType.FLOAT, batch, model.config().zDim());
        SDVariable wsFromZ = gg.broadcastAndTruncate(gg.mapping(zin), 1, model.config().numWs());
        g.identity("ws_out", wsFromZ);
        SDVariable img = gg.synthesis(wsFromZ, GeneratorGraph.Noise.CONST);
        g.identity("img", img);
        Map<String, INDArray> gOut = g.output(Map.of("z", z), "img", "ws_out");
        INDArray fake = gOut.get("img");
        INDArray ws = gOut.get("ws_out");

        // ---- D loss: softplus(D(fake)) + softplus(-D(real)), fake detached
        SameDiff dl = Graphs.create();
        int r = model.config().resolution();
        DiscriminatorGraph dgl = new DiscriminatorGraph(dl, model, true);
        SDVariable fakeIn = dl.placeHolder("fake", DataType.FLOAT, batch, 3, r, r);
        SDVariable realIn = dl.placeHolder("real", DataType.FLOAT, batch, 3, r, r);
        SDVariable dFake = dgl.logits(fakeIn, model.config().mbstdGroupFor(batch));
        SDVariable dReal = dgl.logits(realIn, model.config().mbstdGroupFor(batch));
        SDVariable lossD = dl.nn().softplus(dFake).mean().add(dl.nn().softplus(dReal.neg()).mean());
        dl.identity("loss_d", lossD);
        Map<String, INDArray> feedD = Map.of("fake", fake, "real", real);
        double lossDv = dl.output(feedD, "loss_d").get("loss_d").getDouble(0);
        List<String> dVars = trainable(dl);
        Map<String, INDArray> gD = grads(dl, "loss_d", feedD, dVars);

        // ---- G loss: softplus(-D(G(z)))
        DiscriminatorGraph dgInG = new DiscriminatorGraph(g, model, false);
        SDVariable lossG = g.nn().softplus(dgInG.logits(img, model.config().mbstdGroupFor(batch)).neg()).mean();
        g.identity("loss_g", lossG);
        double lossGv = g.output(Map.of("z", z), "loss_g").get("loss_g").getDouble(0);
        List<String> gVars = trainable(g);
        Map<String, INDArray> gG = grads(g, "loss_g", Map.of("z", z), gVars);

        R1 reg = r1(real, r1Gamma);
        double r1 = reg.r1();
        Map<String, Tensor> gR1 = reg.grads();

        if (plNoise == null) {
            return new Result(lossDv, lossGv, r1, null, tensors(gD, Names.discriminator(model.config())),
                    tensors(gG, generatorParams()), gR1, null);
        }
        PathLength plr = pathLength(z, plNoise, plMean, 0);
        return new Result(lossDv, lossGv, r1, plr.lengths(), tensors(gD, Names.discriminator(model.config())),
                tensors(gG, generatorParams()), gR1, plr.grads());
    }

    /** Path lengths of a batch, the running mean after it, and the gradient of mean((length - mean)^2) w.r.t. G. */
    public record PathLength(double[] lengths, double mean, Map<String, Tensor> grads) {}

    /**
     * The path-length term for latents z (ws from the mapping network, no mixing, constant noise),
     * exact in float32 ({@link PathLengthGraph}): with {@code decay > 0} the running mean first moves
     * toward this batch's mean by that fraction and the penalty uses the moved mean (as stylegan2-ada
     * and rosinality); with 0 it uses {@code plMean} as given. Gradients of mean((length - mean)^2).
     */
    public PathLength pathLength(INDArray z, INDArray plNoise, double plMean, double decay) {
        PathLengthGraph graph = new PathLengthGraph(model, (int) z.size(0), decay, GeneratorGraph.Noise.CONST, false);
        PathLengthGraph.Output o = graph.run(z, plNoise, Map.of(), plMean);
        return new PathLength(o.lengths(), o.mean(), tensors(o.grads(), generatorParams()));
    }

    private Map<String, long[]> generatorParams() {
        Map<String, long[]> m = new LinkedHashMap<>();
        Names.generator(model.config()).forEach((k, v) -> {
            if (!Names.isBuffer(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Every trainable tensor, zeros where the loss does not reach it. */
    private static Map<String, Tensor> tensors(Map<String, INDArray> grads, Map<String, long[]> expected) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        expected.forEach((name, shape) -> {
            INDArray a = grads.get(name);
            out.put(name, a == null ? Tensor.zeros(shape) : new Tensor(shape, NdArrays.floats(a)));
        });
        return out;
    }

}
