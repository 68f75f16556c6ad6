package io.ukiyoe.training;

import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.DiscriminatorGraph;
import io.ukiyoe.graphs.stylegan2.GeneratorGraph;
import io.ukiyoe.graphs.stylegan2.PreparedWeights;
import io.ukiyoe.graphs.stylegan2.Weights;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The graphs of one training step, built once with prepared weights (the loop loads the parameters
 * into them each step):
 * <ul>
 *   <li>{@code g}: placeholders z_pair [2B, z_dim] (z, then the mixing z2) and the style-mixing mask mix
 *       [1, num_ws, 1] (1 takes the layer from z), noise inputs -> "img", "w_z" (z's w, for w_avg tracking) and the G loss
 *       "loss_g" = mean softplus(-D(img)) with D inside; with augmentation instead
 *       "loss_g_through_aug" = sum(img * upstream), the upstream gradient fed in;</li>
 *   <li>{@code dInput} (augmentation only): placeholder x -> "loss_g", differentiated w.r.t. x;</li>
 *   <li>{@code d}: placeholders fake, real -> "loss_d" and "logits_real".</li>
 * </ul>
 */
final class StepGraphs {
    final SameDiff g = Graphs.create();
    final SameDiff d = Graphs.create();
    final SameDiff dInput;              // null without augmentation
    final PreparedWeights gWeights;     // G's views in g
    final PreparedWeights dInGWeights;  // D's views in g (or in dInput with augmentation)
    final PreparedWeights dWeights;     // D's views in d

    StepGraphs(StyleGanModel current, TrainSettings s) {
        var c = current.config();
        int res = c.resolution();
        int batch = s.batch();
        int group = c.mbstdGroupFor(batch);
        GeneratorGraph gg = new GeneratorGraph(g, current, Weights.Form.PREPARED);
        int numWs = c.numWs();
        // z (rows 0..B-1) and the mixing z2 (rows B..2B-1) through the mapping network as one batch:
        // half the ops (the network is per-sample)
        SDVariable zPair = g.placeHolder("z_pair", DataType.FLOAT, 2L * batch, c.zDim());
        SDVariable mix = g.placeHolder("mix", DataType.FLOAT, 1, numWs, 1);
        SDVariable wBoth = gg.mapping(zPair);
        SDVariable w1 = g.identity("w_z", wBoth.get(SDIndex.interval(0, batch)));
        SDVariable ws1 = gg.broadcastAndTruncate(w1, 1, numWs);
        SDVariable ws2 = gg.broadcastAndTruncate(wBoth.get(SDIndex.interval(batch, 2 * batch)), 1, numWs);
        SDVariable ws = ws1.mul(mix).add(ws2.mul(mix.rsub(1.0)));
        SDVariable img = gg.synthesis(ws, GeneratorGraph.Noise.INPUT);
        g.identity("img", img);
        if (s.augmenting()) {
            // D judges augmented fakes: G's gradient is D's input gradient carried back through the
            // augmentation (Augment.adjoint) and fed in as the upstream gradient of the image
            SDVariable upstream = g.placeHolder("upstream", DataType.FLOAT, batch, 3, res, res);
            g.sum("loss_g_through_aug", img.mul(upstream));
            g.setLossVariables("loss_g_through_aug");
            dInput = Graphs.create();
            DiscriminatorGraph di = new DiscriminatorGraph(dInput, current, Weights.Form.PREPARED);
            SDVariable x = dInput.placeHolder("x", DataType.FLOAT, batch, 3, res, res);
            dInput.identity("loss_g", dInput.nn().softplus(di.logits(x, group).neg()).mean());
            dInput.setLossVariables("loss_g");
            dInput.createGradFunction("x");
            dInGWeights = di.weights();
        } else {
            dInput = null;
            DiscriminatorGraph dInG = new DiscriminatorGraph(g, current, Weights.Form.PREPARED);
            g.identity("loss_g", g.nn().softplus(dInG.logits(img, group).neg()).mean());
            g.setLossVariables("loss_g");
            dInGWeights = dInG.weights();
        }
        gWeights = gg.weights();
        DiscriminatorGraph dg = new DiscriminatorGraph(d, current, Weights.Form.PREPARED);
        SDVariable fake = d.placeHolder("fake", DataType.FLOAT, batch, 3, res, res);
        SDVariable real = d.placeHolder("real", DataType.FLOAT, batch, 3, res, res);
        SDVariable[] logits = dg.logitsPair(fake, real, group, batch);
        SDVariable realLogits = d.identity("logits_real", logits[1]);
        d.identity("loss_d", d.nn().softplus(logits[0]).mean().add(d.nn().softplus(realLogits.neg()).mean()));
        d.setLossVariables("loss_d");
        dWeights = dg.weights();
    }
}
