package io.ukiyoe.training;

import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.GeneratorGraph;
import io.ukiyoe.graphs.stylegan2.GeneratorInputGradient;
import io.ukiyoe.graphs.stylegan2.PreparedWeights;
import io.ukiyoe.graphs.stylegan2.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The path-length penalty of stylegan2-ada and rosinality as one float32 graph, exact: z -> mapping ->
 * ws -> synthesis, J = grad_ws sum(G(ws) * pl_noise) as an explicit graph ({@link GeneratorInputGradient}),
 * lengths |J| = sqrt(mean over layers of sum over w of J^2) per sample, the running mean moved toward
 * this batch's mean by {@code decay} (kept in the graph, so its dependence on the lengths is
 * differentiated too, as both references do), and penalty = mean((length - mean)^2), which SameDiff
 * differentiates w.r.t. every parameter of G (the mapping network's through ws). No style mixing.
 * Built once, run with the current parameters each lazy step.
 */
final class PathLengthGraph {
    /**
     * One batch's lengths, the running mean after it, the penalty, and its gradients by graph variable
     * (lent: read them before the next run).
     */
    record Output(double[] lengths, double mean, double penalty, Map<String, INDArray> grads) {}

    private final SameDiff sd = Graphs.create();
    private final GeneratorGraph.Noise noise;
    private final PreparedWeights weights;                  // null: parameters are variables under their own names
    private final List<String> trainable = new ArrayList<>();

    /**
     * @param prepared parameters as prepared views ({@link Weights.Form#PREPARED}): the trainer's
     *                 fast form; false: variables under canonical names (for checking)
     */
    PathLengthGraph(StyleGanModel model, int batch, double decay, GeneratorGraph.Noise noise, boolean prepared) {
        this.noise = noise;
        var c = model.config();
        int r = c.resolution();
        GeneratorGraph gg = new GeneratorGraph(sd, model, prepared ? Weights.Form.PREPARED : Weights.Form.TRAINABLE);
        SDVariable z = sd.placeHolder("z", DataType.FLOAT, batch, c.zDim());
        SDVariable plNoise = sd.placeHolder("pl_noise", DataType.FLOAT, batch, 3, r, r);
        SDVariable before = sd.placeHolder("pl_mean_before", DataType.FLOAT, 1);
        SDVariable ws = gg.broadcastAndTruncate(gg.mapping(z), 1, c.numWs());
        SDVariable jac = GeneratorInputGradient.build(gg, ws, noise, plNoise).wsGradient();    // [B, L, D]
        SDVariable lengths = sd.identity("pl_lengths", sd.math().sqrt(sd.math().square(jac).sum(2).mean(1)));
        SDVariable mean = sd.identity("pl_mean", before.add(lengths.mean().sub(before).mul(decay)));
        sd.identity("pl_penalty", sd.math().square(lengths.sub(mean)).mean());
        sd.setLossVariables("pl_penalty");
        this.weights = prepared ? gg.weights() : null;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                trainable.add(v.name());
            }
        }
    }

    /** The prepared views to load parameters into and map gradients back (null unless prepared). */
    PreparedWeights weights() {
        return weights;
    }

    SameDiff sameDiff() {
        return sd;
    }

    /**
     * @param noiseInputs the per-layer noise placeholders in {@link GeneratorGraph.Noise#INPUT} mode, else empty
     * @param meanBefore  the running mean before this batch
     */
    Output run(INDArray z, INDArray plNoise, Map<String, INDArray> noiseInputs, double meanBefore) {
        if (noise == GeneratorGraph.Noise.INPUT && noiseInputs.isEmpty()) {
            throw new IllegalArgumentException("the graph takes noise inputs");
        }
        Map<String, INDArray> feed = new HashMap<>(noiseInputs);
        feed.put("z", z.castTo(DataType.FLOAT));
        feed.put("pl_noise", plNoise.castTo(DataType.FLOAT));
        feed.put("pl_mean_before", Nd4j.create(new float[] {(float) meanBefore}, new long[] {1}, DataType.FLOAT));
        // the gradients are lent (Backprop): read before the next run, as both callers do
        OutAndGrad o = io.ukiyoe.graphs.runtime.Backprop.run(sd, feed, List.of("pl_lengths", "pl_mean", "pl_penalty"),
                trainable);
        Map<String, INDArray> out = o.getOutputs();
        return new Output(out.get("pl_lengths").toDoubleVector(), out.get("pl_mean").getDouble(0),
                out.get("pl_penalty").getDouble(0), o.getGradients());
    }
}
