package io.ukiyoe.training.project;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Backprop;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.GeneratorGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One SameDiff graph for a projection step: W+ latents and the per-layer noise maps (placeholders) ->
 * generator (weights constant) -> image, box-downsampled to 256 px above that size (as projector.py) ->
 * perceptual loss and pixel MSE against the target; gradients w.r.t. the latents and the noise maps.
 */
final class ProjectionGraph {
    static final String WS = "ws";
    static final String TARGET = "target";
    static final String IMG = "img_gen";
    static final String P_LOSS = "p_loss";
    static final String MSE = "mse_loss";
    static final String LOSS = "loss_no_noise";
    /** projector.py compares at most at 256 px. */
    static final int MAX_COMPARE = 256;

    private final SameDiff sd;
    private final StyleGanConfig c;
    private final PerceptualLoss perceptual;
    private INDArray fedTarget;                              // the target whose extra inputs are cached
    private Map<String, INDArray> targetInputs = Map.of();
    private final List<String> noiseInputs = new ArrayList<>();
    private final List<Integer> noiseSizes = new ArrayList<>();

    ProjectionGraph(StyleGanModel model, PerceptualLoss perceptual, double mseWeight) {
        this.c = model.config();
        this.perceptual = perceptual;
        sd = Graphs.create();
        SDVariable ws = sd.placeHolder(WS, DataType.FLOAT, 1, c.numWs(), c.wDim());
        int cmp = compareSize(c.resolution());
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, 1, 3, cmp, cmp);
        SDVariable img = new GeneratorGraph(sd, model, false).synthesis(ws, GeneratorGraph.Noise.INPUT);
        sd.identity(IMG, img);
        if (cmp < c.resolution()) {
            int f = c.resolution() / cmp;
            img = img.reshape(1, 3, cmp, f, cmp, f).mean(3, 5);
        }
        SDVariable p = sd.identity(P_LOSS, perceptual.build(sd, img, target));
        SDVariable mse = sd.identity(MSE, sd.math().square(img.sub(target)).mean());
        sd.identity(LOSS, mseWeight == 0 ? p.add(mse.mul(0)) : p.add(mse.mul(mseWeight)));
        sd.setLossVariables(LOSS);
        for (int i = 0; i < numNoises(c); i++) {
            noiseInputs.add(GeneratorGraph.noiseInput(Names.noiseLayer(i)));
            noiseSizes.add(Names.noiseResolution(i));
        }
        List<String> wrt = new ArrayList<>(noiseInputs);
        wrt.add(0, WS);
        sd.createGradFunction(wrt.toArray(String[]::new));
    }

    /** The size images are compared at: the model's, or 256 above it. */
    static int compareSize(int resolution) {
        return Math.min(resolution, MAX_COMPARE);
    }

    /** Noise layers of a generator: one at 4 px, two per higher resolution. */
    static int numNoises(StyleGanConfig c) {
        return Names.numNoises(c);
    }

    List<Integer> noiseSizes() {
        return noiseSizes;
    }

    /**
     * Losses, the generated image and the gradients of {@code p_loss + mse * weight} w.r.t. ws and each
     * noise map. The gradients are lent ({@link Backprop}): read them before the next {@link #run}.
     */
    record Pass(double pLoss, double mseLoss, INDArray image, INDArray wsGrad, List<INDArray> noiseGrads) {}

    Pass run(INDArray ws, List<INDArray> noises, INDArray target) {
        OutAndGrad r = Backprop.run(sd, feed(ws, noises, target), List.of(P_LOSS, MSE, IMG), wrt());
        List<INDArray> ng = new ArrayList<>();
        for (String n : noiseInputs) {
            ng.add(r.getGradients().get(n));
        }
        return new Pass(r.getOutputs().get(P_LOSS).getDouble(0), r.getOutputs().get(MSE).getDouble(0),
                r.getOutputs().get(IMG), r.getGradients().get(WS), ng);
    }

    private List<String> wrt() {
        List<String> w = new ArrayList<>(noiseInputs);
        w.add(0, WS);
        return w;
    }

    private Map<String, INDArray> feed(INDArray ws, List<INDArray> noises, INDArray target) {
        if (target != fedTarget) {
            targetInputs = perceptual.targetInputs(target);
            fedTarget = target;
        }
        Map<String, INDArray> f = new HashMap<>(targetInputs);
        f.put(WS, ws);
        f.put(TARGET, target);
        for (int i = 0; i < noiseInputs.size(); i++) {
            f.put(noiseInputs.get(i), noises.get(i));
        }
        return f;
    }

    /** The generator's image for ws and the noise maps (no loss). */
    INDArray render(INDArray ws, List<INDArray> noises, INDArray target) {
        return sd.output(feed(ws, noises, target), IMG).get(IMG);
    }
}
