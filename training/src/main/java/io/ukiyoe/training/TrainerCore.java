package io.ukiyoe.training;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.nn.DiscriminatorGraph;
import io.ukiyoe.graphs.nn.GeneratorGraph;
import io.ukiyoe.graphs.nn.PreparedWeights;
import io.ukiyoe.graphs.nn.Weights;
import io.ukiyoe.graphs.nn.SessionMemory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The inner loop of StyleGAN2 training, without the bookkeeping around it: non-saturating logistic
 * losses, Adam for G and D (betas (0, 0.99)), lazy R1 on reals every {@code r1Interval} steps (exact,
 * {@link StepGradients#r1}, weighted by the interval, with the lazy-regularisation correction of D's
 * learning rate and betas), G EMA, random noise, frozen tensors that are never updated, style mixing,
 * lazy path-length regularisation every {@code plInterval} steps (exact, {@link PathLengthGraph}, on
 * batch / plBatchShrink samples with random noise, with G's lr/beta correction), ADA ({@link Augment}: D sees augmented
 * reals and fakes; p adapts to the sign of D's real logits), and {@code w_avg} tracking (beta 0.995,
 * from the ws of the fakes shown to D). {@link #state()} and {@link #restore} carry everything a step depends on,
 * so a restored trainer continues exactly as the original would have.
 */
public final class TrainerCore {
    /** Settings of the loop (path length off, no augmentation: {@link #withPathLength}, {@link #withAugment}). */
    public record Settings(int batch, double lr, double r1Gamma, int r1Interval, double emaKimg, Double emaRampup,
                           double styleMixing, long seed, double plWeight, int plInterval, int plBatchShrink,
                           double plDecay, TrainConfig.Augmentation augment) {
        public Settings(int batch, double lr, double r1Gamma, int r1Interval, double emaKimg, Double emaRampup,
                        double styleMixing, long seed) {
            this(batch, lr, r1Gamma, r1Interval, emaKimg, emaRampup, styleMixing, seed, 0, 4, 2, 0.01,
                    new TrainConfig.Augmentation(TrainConfig.AugmentMode.OFF, 0, 0.6, 4, 500));
        }

        public Settings withPathLength(double weight, int interval, int batchShrink, double decay) {
            return new Settings(batch, lr, r1Gamma, r1Interval, emaKimg, emaRampup, styleMixing, seed, weight, interval,
                    batchShrink, decay, augment);
        }

        public Settings withAugment(TrainConfig.Augmentation a) {
            return new Settings(batch, lr, r1Gamma, r1Interval, emaKimg, emaRampup, styleMixing, seed, plWeight,
                    plInterval, plBatchShrink, plDecay, a);
        }

        boolean augmenting() {
            return augment.mode() != TrainConfig.AugmentMode.OFF;
        }
    }

    private final Settings s;
    private final Map<String, Tensor> g;
    private final Map<String, Tensor> d;
    private final Map<String, Tensor> gEma;
    private final StyleGanModel template;
    private final Predicate<String> frozen;
    private final Adam adamG;
    private final Adam adamD;
    private Random rnd;
    private long step;
    private double adaP;   // augmentation probability (ADA)
    private double plMean; // running mean of path lengths
    private SameDiff gGraph;
    private SameDiff dGraph;
    private SameDiff dInput; // with augmentation: D(x) for G's loss, differentiated w.r.t. its input x
    private PreparedWeights gWeights;      // G's views in gGraph
    private PreparedWeights dInGWeights;   // D's views in gGraph (or in dInput with augmentation)
    private PreparedWeights dWeights;      // D's views in dGraph
    private PathLengthGraph plGraph;       // the lazy path-length step's graph, G's views in it

    public TrainerCore(StyleGanModel start, Settings s, Predicate<String> frozen) {
        SessionMemory.install();            // every step reuses its activations' memory
        this.s = s;
        this.template = start;
        this.frozen = frozen;
        this.g = new LinkedHashMap<>();
        this.d = new LinkedHashMap<>();
        // our own copies: the optimiser and the EMA update them in place
        start.tensors().forEach((k, v) -> (io.ukiyoe.graphs.model.Names.isDiscriminator(k) ? d : g).put(k, copy(v)));
        this.gEma = copy(g);
        // lazy regularisation: lr and beta2 scaled by interval / (interval + 1) (stylegan2)
        double cg = s.plWeight() > 0 ? s.plInterval() / (s.plInterval() + 1.0) : 1;
        this.adamG = new Adam(s.lr() * cg, 0, Math.pow(0.99, cg), 1e-8);
        double c = s.r1Gamma() > 0 ? s.r1Interval() / (s.r1Interval() + 1.0) : 1;
        this.adamD = new Adam(s.lr() * c, 0, Math.pow(0.99, c), 1e-8);
        this.rnd = new Random(s.seed());
        this.adaP = s.augment().p();
    }

    public long steps() {
        return step;
    }

    /** Decay of the tracked average w per step (stylegan2-ada's w_avg_beta). */
    static final double W_AVG_BETA = 0.995;

    /**
     * Everything that the next step depends on: parameters of G, its EMA and D, both optimisers, the
     * step count and the random stream (java.util.Random serialised; it carries its pending Gaussian).
     */
    public record State(long step, Map<String, Tensor> g, Map<String, Tensor> gEma, Map<String, Tensor> d,
                        Adam.State adamG, Adam.State adamD, byte[] random, double adaP, double adaSignSum,
                        long adaSignCount, double plMean) {}

    public State state() {
        return new State(step, copy(g), copy(gEma), copy(d),
                adamG.state(), adamD.state(), serialize(rnd), adaP, signSum, signCount, plMean);
    }

    /** Continues from a state taken from a trainer with the same model and settings. */
    public void restore(State st) {
        replace(g, st.g(), "G");
        replace(gEma, st.gEma(), "G_ema");
        replace(d, st.d(), "D");
        adamG.restore(st.adamG());
        adamD.restore(st.adamD());
        rnd = deserialize(st.random());
        adaP = st.adaP();
        signSum = st.adaSignSum();
        signCount = st.adaSignCount();
        plMean = st.plMean();
        step = st.step();
    }

    private static void replace(Map<String, Tensor> mine, Map<String, Tensor> saved, String what) {
        for (String k : mine.keySet()) {
            Tensor t = saved.get(k);
            if (t == null || !java.util.Arrays.equals(t.shape(), mine.get(k).shape())) {
                throw new IllegalArgumentException(what + " in the saved state does not match the model at " + k);
            }
        }
        mine.replaceAll((k, t) -> copy(saved.get(k)));
    }

    /** Tensors with arrays of their own (the trainer's are updated in place). */
    private static Map<String, Tensor> copy(Map<String, Tensor> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, copy(t)));
        return out;
    }

    private static Tensor copy(Tensor t) {
        return new Tensor(t.shape(), t.data().clone());
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
        Map<String, Tensor> all = copy(ema ? gEma : g);
        all.putAll(copy(d));
        return template.with(all, template.metadata());
    }

    private INDArray normal(long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    /** Inputs of one G pass: z, z2 and the mixing mask (cutoff ~ U{1..num_ws-1} with probability p). */
    private Map<String, INDArray> latents() {
        int numWs = template.config().numWs();
        Map<String, INDArray> m = new LinkedHashMap<>(noise(s.batch()));
        m.put("z", normal(s.batch(), template.config().zDim()));
        m.put("z2", normal(s.batch(), template.config().zDim()));
        float[] mask = new float[numWs];
        int cutoff = numWs > 1 && rnd.nextDouble() < s.styleMixing() ? 1 + rnd.nextInt(numWs - 1) : numWs;
        for (int i = 0; i < numWs; i++) {
            mask[i] = i < cutoff ? 1 : 0;
        }
        m.put("mix", Nd4j.create(mask, new long[] {1, numWs, 1}, DataType.FLOAT));
        return m;
    }

    private int res() {
        return template.config().resolution();
    }

    private Map<String, INDArray> noise(long batch) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int r = 4; r <= template.config().resolution(); r *= 2) {
            for (String conv : r == 4 ? new String[] {"conv1"} : new String[] {"conv0", "conv1"}) {
                m.put(GeneratorGraph.noiseInput(Names.layer(r, conv)), normal(batch, 1, r, r));
            }
        }
        return m;
    }

    private void build() {
        int res = template.config().resolution();
        int group = (int) Math.min(template.config().mbstdGroup(), s.batch());
        StyleGanModel current = model(false);
        gGraph = SameDiff.create();
        GeneratorGraph gg = new GeneratorGraph(gGraph, current, Weights.Form.PREPARED).fixedBatch(s.batch());
        int numWs = template.config().numWs();
        SDVariable z = gGraph.placeHolder("z", DataType.FLOAT, s.batch(), template.config().zDim());
        SDVariable z2 = gGraph.placeHolder("z2", DataType.FLOAT, s.batch(), template.config().zDim());
        // style mixing: mix[l] = 1 takes layer l from z, 0 from z2
        SDVariable mix = gGraph.placeHolder("mix", DataType.FLOAT, 1, numWs, 1);
        // z and z2 through the mapping network as one batch: half the ops (the network is per-sample)
        SDVariable wBoth = gg.mapping(gGraph.concat(0, z, z2));
        SDVariable w1 = gGraph.identity("w_z", wBoth.get(SDIndex.interval(0, s.batch())));
        SDVariable ws1 = gg.broadcastAndTruncate(w1, 1, numWs);
        SDVariable ws2 = gg.broadcastAndTruncate(wBoth.get(SDIndex.interval(s.batch(), 2 * s.batch())), 1, numWs);
        SDVariable ws = ws1.mul(mix).add(ws2.mul(mix.rsub(1.0)));
        SDVariable img = gg.synthesis(ws, GeneratorGraph.Noise.INPUT);
        gGraph.identity("img", img);
        if (s.augmenting()) {
            // D judges augmented fakes: G's gradient is D's input gradient carried back through the
            // augmentation (Augment.adjoint) and fed in as the upstream gradient of the image
            SDVariable upstream = gGraph.placeHolder("upstream", DataType.FLOAT, s.batch(), 3, res, res);
            gGraph.sum("loss_g_through_aug", img.mul(upstream));
            gGraph.setLossVariables("loss_g_through_aug");
            dInput = SameDiff.create();
            DiscriminatorGraph di = new DiscriminatorGraph(dInput, current, Weights.Form.PREPARED);
            SDVariable x = dInput.placeHolder("x", DataType.FLOAT, s.batch(), 3, res, res);
            dInput.identity("loss_g", dInput.nn().softplus(di.logits(x, group).neg()).mean());
            dInput.setLossVariables("loss_g");
            dInput.createGradFunction("x");
            dInGWeights = di.weights();
        } else {
            DiscriminatorGraph dInG = new DiscriminatorGraph(gGraph, current, Weights.Form.PREPARED);
            gGraph.identity("loss_g", gGraph.nn().softplus(dInG.logits(img, group).neg()).mean());
            gGraph.setLossVariables("loss_g");
            dInGWeights = dInG.weights();
        }
        gWeights = gg.weights();
        dGraph = SameDiff.create();
        DiscriminatorGraph dg = new DiscriminatorGraph(dGraph, current, Weights.Form.PREPARED);
        SDVariable fake = dGraph.placeHolder("fake", DataType.FLOAT, s.batch(), 3, res, res);
        SDVariable real = dGraph.placeHolder("real", DataType.FLOAT, s.batch(), 3, res, res);
        SDVariable[] logits = dg.logitsPair(fake, real, group, s.batch());
        SDVariable realLogits = dGraph.identity("logits_real", logits[1]);
        dGraph.identity("loss_d", dGraph.nn().softplus(logits[0]).mean()
                .add(dGraph.nn().softplus(realLogits.neg()).mean()));
        dGraph.setLossVariables("loss_d");
        dWeights = dg.weights();
    }

    private double signSum; // ADA: sum of sign(D(real)) since the last adjustment
    private long signCount;

    /**
     * Losses of one step (D then G); r1 (the mean R1 penalty), the mean path length and the path-length
     * penalty are NaN on steps without them.
     */
    public record StepLosses(double lossD, double lossG, double r1, double pathLength, double plPenalty, double adaP) {}

    public double adaP() {
        return adaP;
    }

    /** One training step on a batch of reals [B, 3, R, R] in [-1, 1]. */
    public StepLosses step(INDArray reals) {
        if (gGraph == null) {
            build();
        }
        // ---- D: fakes from the current G
        gWeights.load(gGraph, g);
        dWeights.load(dGraph, d);
        Map<String, INDArray> feedG = latents();
        Map<String, INDArray> outG = gGraph.output(feedG, "img", "w_z");
        INDArray fake = outG.get("img");
        trackWAvg(outG.get("w_z"));
        if (s.augmenting()) { // D sees augmented reals and fakes (each sample its own transforms)
            fake = Augment.apply(Augment.sample(rnd, s.batch(), res(), adaP), fake);
            reals = Augment.apply(Augment.sample(rnd, s.batch(), res(), adaP), reals);
        }
        Map<String, INDArray> feedD = Map.of("fake", fake, "real", reals);
        // one pass gives the loss, the real logits and the gradients (no separate forward pass)
        OutAndGrad stepD = dGraph.calculateGradientsAndOutputs(feedD, List.of("loss_d", "logits_real"), trainable(dWeights));
        Map<String, INDArray> outD = stepD.getOutputs();
        double lossD = outD.get("loss_d").getDouble(0);
        update(d, dWeights.gradients(stepD.getGradients()), adamD);
        double r1 = Double.NaN;
        if (s.r1Gamma() > 0 && step % s.r1Interval() == 0) {
            StepGradients.R1 reg = new StepGradients(model(false)).r1(reals, s.r1Gamma() * s.r1Interval());
            r1 = reg.r1();
            Map<String, float[]> grads = new LinkedHashMap<>();
            reg.grads().forEach((k, t) -> grads.put(k, t.data()));
            update(d, grads, adamD);
        }
        if (s.augment().mode() == TrainConfig.AugmentMode.ADA) {
            signSum += Transforms.sign(outD.get("logits_real")).sumNumber().doubleValue();
            signCount += s.batch();
            if ((step + 1) % s.augment().interval() == 0) {
                adaP = Augment.adjust(adaP, signSum / signCount, s.augment().target(), s.batch(),
                        s.augment().interval(), s.augment().adaKimg());
                signSum = 0;
                signCount = 0;
            }
        }
        // ---- G against the updated D
        Map<String, INDArray> feedG2 = latents();
        double lossG;
        if (s.augmenting()) {
            Augment.Plan plan = Augment.sample(rnd, s.batch(), res(), adaP);
            dInGWeights.load(dInput, d);
            Map<String, INDArray> feedX = Map.of("x", Augment.apply(plan, gGraph.output(feedG2, "img").get("img")));
            OutAndGrad dx = dInput.calculateGradientsAndOutputs(feedX, List.of("loss_g"), List.of("x"));
            lossG = dx.getOutputs().get("loss_g").getDouble(0);
            feedG2.put("upstream", Augment.adjoint(plan, dx.getGradients().get("x")));
            update(g, gWeights.gradients(gGraph.calculateGradients(feedG2, trainable(gWeights))), adamG);
        } else {
            dInGWeights.load(gGraph, d);
            OutAndGrad stepG = gGraph.calculateGradientsAndOutputs(feedG2, List.of("loss_g"), trainable(gWeights));
            lossG = stepG.getOutputs().get("loss_g").getDouble(0);
            update(g, gWeights.gradients(stepG.getGradients()), adamG);
        }
        double pathLength = Double.NaN;
        double plPenalty = Double.NaN;
        if (s.plWeight() > 0 && step % s.plInterval() == 0) { // lazy path-length regularisation
            int b = Math.max(1, s.batch() / s.plBatchShrink());
            int r = res();
            INDArray plNoise = normal(b, 3, r, r).div(Math.sqrt((double) r * r));
            INDArray z = normal(b, template.config().zDim());
            if (plGraph == null) {                     // built once: the lazy steps then cost no graph building
                plGraph = new PathLengthGraph(template, b, s.plDecay(), GeneratorGraph.Noise.INPUT, true);
            }
            plGraph.weights().load(plGraph.sameDiff(), g);
            PathLengthGraph.Output pl = plGraph.run(z, plNoise, noise(b), plMean);
            plMean = pl.mean();
            pathLength = java.util.Arrays.stream(pl.lengths()).average().orElse(Double.NaN);
            plPenalty = pl.penalty();
            // stylegan2-ada: the penalty weighted by pl_weight and by the interval (lazy regularisation)
            Map<String, float[]> grads = plGraph.weights().gradients(pl.grads());
            float scale = (float) (s.plWeight() * s.plInterval());
            grads.values().forEach(v -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] *= scale;
                }
            });
            update(g, grads, adamG);
        }
        // ---- EMA of G's parameters (buffers copied)
        double emaImages = s.emaKimg() * 1000;
        if (s.emaRampup() != null) { // stylegan2-ada: the half-life grows with the images seen so far
            emaImages = Math.min(emaImages, (step + 1) * (double) s.batch() * s.emaRampup());
        }
        double beta = Math.pow(0.5, s.batch() / Math.max(emaImages, 1e-8));
        g.forEach((k, t) -> {
            float[] e = gEma.get(k).data();
            if (Names.isBuffer(k) || frozen.test(k)) {
                System.arraycopy(t.data(), 0, e, 0, e.length);
                return;
            }
            float[] v = t.data();
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) (beta * e[i] + (1 - beta) * v[i]);
            }
        });
        step++;
        return new StepLosses(lossD, lossG, r1, pathLength, plPenalty, adaP);
    }

    /** w_avg = lerp(mean of this batch's w, w_avg, 0.995), as stylegan2-ada's mapping network does in training. */
    private void trackWAvg(INDArray w) {
        Tensor avg = g.get(Names.W_AVG);
        if (avg == null || frozen.test(Names.W_AVG)) {
            return;
        }
        float[] mean = NdArrays.floats(w.mean(0));
        float[] out = avg.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (mean[i] + W_AVG_BETA * (out[i] - mean[i]));
        }
    }

    /** The graph variables to differentiate: the views of every parameter that is not frozen. */
    private List<String> trainable(PreparedWeights w) {
        return w.variables(k -> !Names.isBuffer(k) && !frozen.test(k));
    }

    /** Adam on the parameters of one side, in place (frozen tensors and buffers never change). */
    private void update(Map<String, Tensor> side, Map<String, float[]> grads, Adam adam) {
        Map<String, float[]> params = new LinkedHashMap<>();
        grads.forEach((k, a) -> {
            if (side.containsKey(k) && !frozen.test(k) && !Names.isBuffer(k)) {
                params.put(k, side.get(k).data());
            }
        });
        adam.update(params, grads);
    }


}
