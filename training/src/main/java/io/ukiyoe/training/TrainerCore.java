package io.ukiyoe.training;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.GeneratorGraph;
import io.ukiyoe.graphs.stylegan2.PreparedWeights;
import io.ukiyoe.graphs.runtime.Backprop;
import io.ukiyoe.graphs.runtime.SessionMemory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inner loop of StyleGAN2 training, without the bookkeeping around it: non-saturating logistic
 * losses, Adam for G and D (betas (0, 0.99)), lazy R1 on reals every {@code r1.interval} steps (exact,
 * {@link StepGradients#r1}, weighted by the interval, with the lazy-regularisation correction of D's
 * learning rate and betas), G's EMA ({@link Ema}), random noise, frozen tensors that are never updated,
 * style mixing, lazy path-length regularisation (exact, {@link PathLengthGraph}, on batch / batchShrink
 * samples with random noise, with G's lr/beta correction), ADA ({@link Augment}: D sees augmented reals
 * and fakes; p from the {@link AdaController}), and {@code w_avg} tracking (beta 0.995, from the ws of
 * the fakes shown to D). The step's graphs are {@link StepGraphs}; the tensors it updates
 * {@link TrainParameters}. {@link #state()} and {@link #restore} carry everything a step depends on, so
 * a restored trainer continues exactly as the original would have.
 */
public final class TrainerCore {
    /** Decay of the tracked average w per step (stylegan2-ada's w_avg_beta). */
    static final double W_AVG_BETA = 0.995;

    private final TrainSettings s;
    private final StyleGanConfig config;
    private final TrainParameters params;
    private final Adam adamG;
    private final Adam adamD;
    private final Ema ema;
    private final AdaController ada;
    private Random rnd;
    private long step;
    private double plMean;                 // running mean of path lengths
    private StepGraphs graphs;             // built on the first step
    private PathLengthGraph plGraph;       // the lazy path-length step's graph, G's views in it
    private StepGradients.R1Graph r1Graph; // the lazy R1 step's graph

    public TrainerCore(StyleGanModel start, TrainSettings s, Predicate<String> frozen) {
        SessionMemory.install();            // every step reuses its activations' memory
        this.s = s;
        this.config = start.config();
        this.params = new TrainParameters(start, frozen);
        // lazy regularisation: lr and beta2 scaled by interval / (interval + 1) (stylegan2)
        double cg = s.pathLength().on() ? s.pathLength().interval() / (s.pathLength().interval() + 1.0) : 1;
        this.adamG = new Adam(s.lr() * cg, 0, Math.pow(0.99, cg), 1e-8);
        double cd = s.r1().on() ? s.r1().interval() / (s.r1().interval() + 1.0) : 1;
        this.adamD = new Adam(s.lr() * cd, 0, Math.pow(0.99, cd), 1e-8);
        this.ema = new Ema(s.ema(), s.batch(), frozen);
        this.ada = new AdaController(s.augment(), s.batch());
        this.rnd = new Random(s.seed());
    }

    public long steps() {
        return step;
    }

    public double adaP() {
        return ada.p();
    }

    /**
     * Everything that the next step depends on: parameters of G, its EMA and D, both optimisers, the
     * step count and the random stream (java.util.Random serialised; it carries its pending Gaussian).
     */
    public record State(long step, Map<String, Tensor> g, Map<String, Tensor> gEma, Map<String, Tensor> d,
                        Adam.State adamG, Adam.State adamD, byte[] random, double adaP, double adaSignSum,
                        long adaSignCount, double plMean) {}

    public State state() {
        return new State(step, TrainParameters.copy(params.g), TrainParameters.copy(params.gEma),
                TrainParameters.copy(params.d), adamG.state(), adamD.state(), serialize(rnd), ada.p(), ada.signSum(),
                ada.signCount(), plMean);
    }

    /** Continues from a state taken from a trainer with the same model and settings. */
    public void restore(State st) {
        params.restore(st.g(), st.gEma(), st.d());
        adamG.restore(st.adamG());
        adamD.restore(st.adamD());
        rnd = deserialize(st.random());
        ada.restore(st.adaP(), st.adaSignSum(), st.adaSignCount());
        plMean = st.plMean();
        step = st.step();
    }

    /** A random stream as bytes (java serialisation keeps its pending Gaussian). */
    public static byte[] serialize(Random r) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A random stream saved by {@link #serialize}; anything but a java.util.Random is refused. */
    public static Random deserialize(byte[] b) {
        // only java.util.Random may come back: the stream is from our own checkpoint, but check anyway
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b))) {
            in.setObjectInputFilter(info -> info.serialClass() == null || info.serialClass() == Random.class
                    ? java.io.ObjectInputFilter.Status.ALLOWED : java.io.ObjectInputFilter.Status.REJECTED);
            return (Random) in.readObject();
        } catch (java.io.IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("random-state bytes are not a java.util.Random: " + e.getMessage());
        }
    }

    /** The current generator (G) and discriminator, or the EMA generator and D, as models (copies). */
    public StyleGanModel model(boolean ema) {
        return params.model(ema);
    }

    /**
     * Losses of one step (D then G); r1 (the mean R1 penalty), the mean path length and the path-length
     * penalty are NaN on steps without them.
     */
    public record StepLosses(double lossD, double lossG, double r1, double pathLength, double plPenalty, double adaP) {}

    /** One training step on a batch of reals [B, 3, R, R] in [-1, 1]. */
    public StepLosses step(INDArray reals) {
        if (graphs == null) {
            graphs = new StepGraphs(model(false), s);
        }
        double[] d = discriminatorStep(reals);
        double lossG = generatorStep();
        double[] pl = s.pathLength().on() && step % s.pathLength().interval() == 0
                ? pathLengthStep() : new double[] {Double.NaN, Double.NaN};
        ema.update(params.g, params.gEma, step);
        step++;
        return new StepLosses(d[0], lossG, d[1], pl[0], pl[1], ada.p());
    }

    /** D on fakes from the current G and on reals, then lazy R1 and the ADA controller -> {loss_D, r1}. */
    private double[] discriminatorStep(INDArray reals) {
        graphs.gWeights.load(graphs.g, params.g);
        graphs.dWeights.load(graphs.d, params.d);
        Map<String, INDArray> outG = graphs.g.output(latents(), "img", "w_z");
        INDArray fake = outG.get("img");
        trackWAvg(outG.get("w_z"));
        if (s.augmenting()) { // D sees augmented reals and fakes (each sample its own transforms)
            fake = Augment.apply(Augment.sample(rnd, s.batch(), res(), ada.p(), s.augment().pipe()), fake);
            reals = Augment.apply(Augment.sample(rnd, s.batch(), res(), ada.p(), s.augment().pipe()), reals);
        }
        Map<String, INDArray> feedD = Map.of("fake", fake, "real", reals);
        // one pass gives the loss, the real logits and the gradients (no separate forward pass)
        OutAndGrad stepD = Backprop.run(graphs.d, feedD, List.of("loss_d", "logits_real"),
                trainable(graphs.dWeights));
        Map<String, INDArray> outD = stepD.getOutputs();
        double lossD = outD.get("loss_d").getDouble(0);
        params.update(params.d, graphs.dWeights.gradients(stepD.getGradients()), adamD);
        double r1 = Double.NaN;
        if (s.r1().on() && step % s.r1().interval() == 0) {
            if (r1Graph == null) {                 // built once: the lazy steps then cost no graph building
                r1Graph = new StepGradients.R1Graph(model(false), s.batch(), s.r1().gamma() * s.r1().interval());
            }
            StepGradients.R1 reg = r1Graph.run(params.d, reals);
            r1 = reg.r1();
            Map<String, float[]> grads = new LinkedHashMap<>();
            reg.grads().forEach((k, t) -> grads.put(k, t.data()));
            params.update(params.d, grads, adamD);
        }
        ada.observe(outD.get("logits_real"), step);
        return new double[] {lossD, r1};
    }

    /** G against the updated D -> loss_G. */
    private double generatorStep() {
        Map<String, INDArray> feedG = latents();
        if (s.augmenting()) {
            Augment.Plan plan = Augment.sample(rnd, s.batch(), res(), ada.p(), s.augment().pipe());
            graphs.dInGWeights.load(graphs.dInput, params.d);
            Map<String, INDArray> feedX = Map.of("x", Augment.apply(plan, graphs.g.output(feedG, "img").get("img")));
            OutAndGrad dx = Backprop.run(graphs.dInput, feedX, List.of("loss_g"), List.of("x"));
            feedG.put("upstream", Augment.adjoint(plan, dx.getGradients().get("x")));
            params.update(params.g, graphs.gWeights.gradients(Backprop.gradients(graphs.g, feedG,
                    trainable(graphs.gWeights))), adamG);
            return dx.getOutputs().get("loss_g").getDouble(0);
        }
        graphs.dInGWeights.load(graphs.g, params.d);
        OutAndGrad stepG = Backprop.run(graphs.g, feedG, List.of("loss_g"), trainable(graphs.gWeights));
        params.update(params.g, graphs.gWeights.gradients(stepG.getGradients()), adamG);
        return stepG.getOutputs().get("loss_g").getDouble(0);
    }

    /** Lazy path-length regularisation -> {mean path length, penalty}. */
    private double[] pathLengthStep() {
        TrainSettings.PathLength p = s.pathLength();
        int b = Math.max(1, s.batch() / p.batchShrink());
        int r = res();
        INDArray plNoise = normal(b, 3, r, r).div(Math.sqrt((double) r * r));
        INDArray z = normal(b, config.zDim());
        if (plGraph == null) {                     // built once: the lazy steps then cost no graph building
            plGraph = new PathLengthGraph(model(false), b, p.decay(), GeneratorGraph.Noise.INPUT, true);
        }
        plGraph.weights().load(plGraph.sameDiff(), params.g);
        PathLengthGraph.Output pl = plGraph.run(z, plNoise, noise(b), plMean);
        plMean = pl.mean();
        // stylegan2-ada: the penalty weighted by pl_weight and by the interval (lazy regularisation)
        Map<String, float[]> grads = plGraph.weights().gradients(pl.grads());
        float scale = (float) (p.weight() * p.interval());
        grads.values().forEach(v -> {
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
        });
        params.update(params.g, grads, adamG);
        return new double[] {java.util.Arrays.stream(pl.lengths()).average().orElse(Double.NaN), pl.penalty()};
    }

    /**
     * Standard normal values of {@code shape}: one seed from the step's random stream, then a
     * SplittableRandom's Gaussians (a ziggurat), about 5x faster than java.util.Random's polar method
     * (a step's noise maps are 170,000 values at 64 px, batch 8).
     */
    private INDArray normal(long... shape) {
        java.util.SplittableRandom values = new java.util.SplittableRandom(rnd.nextLong());
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    /** Inputs of one G pass: z and z2 (one array) and the mixing mask (cutoff ~ U{1..num_ws-1} with probability p). */
    private Map<String, INDArray> latents() {
        int numWs = config.numWs();
        Map<String, INDArray> m = new LinkedHashMap<>(noise(s.batch()));
        m.put("z_pair", normal(2L * s.batch(), config.zDim()));    // z, then the mixing z2
        float[] mask = new float[numWs];
        int cutoff = numWs > 1 && rnd.nextDouble() < s.styleMixing() ? 1 + rnd.nextInt(numWs - 1) : numWs;
        for (int i = 0; i < numWs; i++) {
            mask[i] = i < cutoff ? 1 : 0;
        }
        m.put("mix", Nd4j.create(mask, new long[] {1, numWs, 1}, DataType.FLOAT));
        return m;
    }

    private int res() {
        return config.resolution();
    }

    private Map<String, INDArray> noise(long batch) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < Names.numNoises(config); i++) {
            int r = Names.noiseResolution(i);
            m.put(GeneratorGraph.noiseInput(Names.noiseLayer(i)), normal(batch, 1, r, r));
        }
        return m;
    }

    /** w_avg = lerp(mean of this batch's w, w_avg, 0.995), as stylegan2-ada's mapping network does in training. */
    private void trackWAvg(INDArray w) {
        Tensor avg = params.g.get(Names.W_AVG);
        if (avg == null || params.frozen(Names.W_AVG)) {
            return;
        }
        float[] mean = NdArrays.floats(w.mean(0));
        float[] out = avg.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (mean[i] + W_AVG_BETA * (out[i] - mean[i]));
        }
    }

    /** The graph variables to differentiate: the views of every parameter that is trained. */
    private List<String> trainable(PreparedWeights w) {
        return w.variables(params::trained);
    }
}
