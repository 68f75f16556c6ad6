package io.ukiyoe.training.project;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.training.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * rosinality's projector.py, step for step: start at the mean latent (of {@code meanLatentSamples}
 * mapped z) and N(0, 1) noise maps; per step the scheduled learning rate, latent noise decaying over the
 * first {@code noiseRamp}, generator pass, loss = perceptual + noiseRegularize * noise penalty + mse * MSE,
 * Adam (betas 0.9, 0.999) on the latent (W or W+) and the noise maps, then each noise map renormalised.
 * Deterministic for a seed.
 */
public final class Projector {
    /** Adam's settings in projector.py (torch defaults). */
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final StyleGanModel model;
    private final StyleGanConfig c;
    private final ProjectorSettings s;
    private final ProjectionGraph graph;

    public Projector(StyleGanModel model, PerceptualLoss perceptual, ProjectorSettings settings) {
        this.model = model;
        this.c = model.config();
        this.s = settings;
        this.graph = new ProjectionGraph(model, perceptual, settings.mse());
    }

    public ProjectorSettings settings() {
        return s;
    }

    /** The size targets must have: the model's resolution, at most 256 (projector.py's resize). */
    public int targetSize() {
        return ProjectionGraph.compareSize(c.resolution());
    }

    /** Mean latent [w_dim] and projector.py's latent std ({@code sqrt(sum (w - mean)^2 / N)} over all elements). */
    public record LatentStats(float[] mean, double std) {
        /** The statistics of mapped latents w [N, w_dim]. */
        public static LatentStats of(INDArray w) {
            INDArray ws = w.castTo(DataType.DOUBLE);
            INDArray mean = ws.mean(0);
            double ss = ws.subRowVector(mean).norm2Number().doubleValue();
            return new LatentStats(mean.castTo(DataType.FLOAT).toFloatVector(), ss / Math.sqrt(w.size(0)));
        }
    }

    /** The statistics of {@code meanLatentSamples} latents mapped from seeded z. */
    public LatentStats latentStats() {
        Random rnd = new Random(s.seed());
        int n = s.meanLatentSamples();
        float[] z = new float[n * c.zDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
        }
        INDArray w = new Generator(model).mapping(Nd4j.create(z, new long[] {n, c.zDim()}, DataType.FLOAT));
        return LatentStats.of(w);
    }

    /** Sizes of the noise maps in layer order ({@code noise_0} = 4 px, then two per resolution). */
    public List<Integer> noiseSizes() {
        return graph.noiseSizes();
    }

    /** Fresh N(0, 1) noise maps from the seed, as projector.py's {@code normal_()}. */
    public List<float[]> randomNoise() {
        Random rnd = new Random(s.seed() + 1);
        List<float[]> out = new ArrayList<>();
        for (int r : noiseSizes()) {
            float[] n = new float[r * r];
            for (int i = 0; i < n.length; i++) {
                n[i] = (float) rnd.nextGaussian();
            }
            out.add(n);
        }
        return out;
    }

    /**
     * A projection of {@code target} [1, 3, S, S] in [-1, 1] ({@link #targetSize}), starting from
     * {@code startLatent} ([w_dim] or [num_ws * w_dim]; null: the mean latent) and {@code startNoise}
     * (null: random maps). {@code stats} gives the latent-noise scale (and the start when no latent is given).
     */
    public Run start(INDArray target, LatentStats stats, float[] startLatent, List<float[]> startNoise) {
        long[] ts = target.shape();
        int size = targetSize();
        if (!Arrays.equals(ts, new long[] {1, 3, size, size})) {
            throw new IllegalArgumentException("target must be [1, 3, " + size + ", " + size + "], got " + Arrays.toString(ts));
        }
        int latentSize = s.wPlus() ? c.numWs() * c.wDim() : c.wDim();
        float[] latent = new float[latentSize];
        float[] from = startLatent != null ? startLatent : stats.mean();
        if (from.length == latentSize) {
            System.arraycopy(from, 0, latent, 0, latentSize);
        } else if (from.length == c.wDim()) {                       // one w for every layer (W+ start)
            for (int l = 0; l < c.numWs(); l++) {
                System.arraycopy(from, 0, latent, l * c.wDim(), c.wDim());
            }
        } else if (from.length == c.numWs() * c.wDim() && !s.wPlus() && sameForEveryLayer(from)) {
            System.arraycopy(from, 0, latent, 0, latentSize);          // a W projection saved per layer
        } else if (from.length == c.numWs() * c.wDim() && !s.wPlus()) {
            throw new IllegalArgumentException("start latent has one w per layer (" + c.numWs() + " x " + c.wDim()
                    + "): project in W+ (--w-plus) to continue from it");
        } else {
            throw new IllegalArgumentException("start latent has " + from.length + " values; expected " + c.wDim()
                    + " (w) or " + c.numWs() * c.wDim() + " (" + c.numWs() + " x " + c.wDim() + ")");
        }
        List<float[]> noise = new ArrayList<>();
        List<float[]> src = startNoise != null ? startNoise : randomNoise();
        if (src.size() != noiseSizes().size()) {
            throw new IllegalArgumentException("start noise has " + src.size() + " maps; the model has " + noiseSizes().size());
        }
        for (int i = 0; i < src.size(); i++) {
            int r = noiseSizes().get(i);
            if (src.get(i).length != r * r) {
                throw new IllegalArgumentException("noise_" + i + " has " + src.get(i).length + " values; expected " + r + "x" + r);
            }
            noise.add(src.get(i).clone());
        }
        return new Run(target.castTo(DataType.FLOAT), stats.std(), latent, noise);
    }

    private boolean sameForEveryLayer(float[] ws) {
        for (int l = 1; l < c.numWs(); l++) {
            for (int d = 0; d < c.wDim(); d++) {
                if (ws[l * c.wDim() + d] != ws[d]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One step's record: the values before its update (projector.py's progress line), and optional detail. */
    public record Step(int step, double t, double lr, double noiseStrength, double pLoss, double nLoss, double mseLoss,
                       double loss, INDArray image, Detail detail) {}

    /** For checking against the reference: gradients and parameters right after Adam (before renormalising). */
    public record Detail(Map<String, float[]> grads, Map<String, float[]> afterAdam) {}

    /** A projection in progress. */
    public final class Run {
        private final INDArray target;
        private final double latentStd;
        private final float[] latent;
        private final List<float[]> noise;
        private final Adam adam = new Adam(0, BETA1, BETA2, EPS);
        private final Random latentRnd = new Random(s.seed() + 2);
        private int step;
        private boolean detail;

        private Run(INDArray target, double latentStd, float[] latent, List<float[]> noise) {
            this.target = target;
            this.latentStd = latentStd;
            this.latent = latent;
            this.noise = noise;
        }

        /** Record gradients and post-Adam parameters in each {@link Step} (for checks; costs copies). */
        public Run withDetail() {
            detail = true;
            return this;
        }

        public boolean done() {
            return step >= s.stepsToRun();
        }

        public int stepsDone() {
            return step;
        }

        /** One optimisation step. */
        public Step step() {
            if (done()) {
                throw new IllegalStateException("the projection has run its " + s.stepsToRun() + " steps");
            }
            int i = step;
            double t = i / (double) s.steps();
            double lr = s.lrAt(t);
            double strength = s.latentNoiseAt(t, latentStd);
            float[] noisy = latent.clone();
            for (int k = 0; k < noisy.length; k++) {            // drawn every step (as randn_like), even at 0
                noisy[k] = (float) (noisy[k] + latentRnd.nextGaussian() * strength);
            }
            ProjectionGraph.Pass p = graph.run(ws(noisy), noiseArrays(), target);
            Map<String, float[]> params = new LinkedHashMap<>();
            Map<String, float[]> grads = new LinkedHashMap<>();
            params.put("latent", latent);
            grads.put("latent", latentGrad(p.wsGrad()));
            double nLoss = 0;
            for (int k = 0; k < noise.size(); k++) {
                float[] g = p.noiseGrads().get(k).castTo(DataType.FLOAT).dup().data().asFloat();
                nLoss += NoiseRegularizer.penalty(noise.get(k), noiseSizes().get(k), g, s.noiseRegularize());
                params.put("noise_" + k, noise.get(k));
                grads.put("noise_" + k, g);
            }
            double loss = p.pLoss() + s.noiseRegularize() * nLoss + s.mse() * p.mseLoss();
            adam.update(params, grads, lr);
            Map<String, float[]> after = null;
            if (detail) {
                after = new LinkedHashMap<>();
                for (var e : params.entrySet()) {
                    after.put(e.getKey(), e.getValue().clone());
                }
            }
            for (float[] n : noise) {
                NoiseRegularizer.normalize(n);
            }
            step++;
            return new Step(i, t, lr, strength, p.pLoss(), nLoss, p.mseLoss(), loss, p.image(),
                    detail ? new Detail(grads, after) : null);
        }

        /** Adam's moments so far ({@code latent}, {@code noise_<i>}). */
        public Adam.State adamState() {
            return adam.state();
        }

        /** The latent as the generator takes it, [1, num_ws, w_dim] (W repeated per layer). */
        public INDArray ws() {
            return ws(latent);
        }

        /** The current noise maps, [1, 1, r, r] each, in layer order. */
        public List<INDArray> noiseArrays() {
            List<INDArray> out = new ArrayList<>();
            for (int k = 0; k < noise.size(); k++) {
                int r = noiseSizes().get(k);
                out.add(Nd4j.create(noise.get(k).clone(), new long[] {1, 1, r, r}, DataType.FLOAT));
            }
            return out;
        }

        /** The generator's image for the current latent and noise (no latent noise), [1, 3, R, R]. */
        public INDArray image() {
            return graph.render(ws(), noiseArrays(), target);
        }

        /** The latent ({@code w} [1, num_ws, w_dim]) and the noise maps ({@code noise_<i>} [1, 1, r, r]), as saved. */
        public Map<String, Tensor> state() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("w", new Tensor(new long[] {1, c.numWs(), c.wDim()}, ws().data().asFloat()));
            for (int k = 0; k < noise.size(); k++) {
                int r = noiseSizes().get(k);
                out.put("noise_" + k, new Tensor(new long[] {1, 1, r, r}, noise.get(k).clone()));
            }
            return out;
        }

        private INDArray ws(float[] l) {
            if (s.wPlus()) {
                return Nd4j.create(l.clone(), new long[] {1, c.numWs(), c.wDim()}, DataType.FLOAT);
            }
            float[] all = new float[c.numWs() * c.wDim()];
            for (int k = 0; k < c.numWs(); k++) {
                System.arraycopy(l, 0, all, k * c.wDim(), c.wDim());
            }
            return Nd4j.create(all, new long[] {1, c.numWs(), c.wDim()}, DataType.FLOAT);
        }

        private float[] latentGrad(INDArray wsGrad) {
            float[] g = wsGrad.castTo(DataType.FLOAT).dup().data().asFloat();
            if (s.wPlus()) {
                return g;
            }
            float[] sum = new float[c.wDim()];                  // W repeated per layer: the gradients add
            for (int k = 0; k < c.numWs(); k++) {
                for (int d = 0; d < c.wDim(); d++) {
                    sum[d] += g[k * c.wDim() + d];
                }
            }
            return sum;
        }
    }
}
