package io.ukiyoe.training.distill;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.pix2pixhd.DiscriminatorConfig;
import io.ukiyoe.graphs.pix2pixhd.GeneratorConfig;
import io.ukiyoe.graphs.pix2pixhd.GradientStep;
import io.ukiyoe.training.Adam;
import io.ukiyoe.training.PairAugment;
import io.ukiyoe.training.TrainerCore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * pix2pixHD's {@code train.py}, step after step: augment the pair batch (one random draw per pair), one
 * forward of G and D giving both losses ({@link GradientStep}), then G's Adam step and D's Adam step
 * (each on gradients taken before either update, as upstream's single forward arranges); Adam
 * {@code (beta1, 0.999)}; the learning rate constant for {@code niter} epochs, then decaying linearly:
 * upstream lowers it by {@code lr / niter_decay} after each epoch past {@code niter}, so epoch {@code e}
 * (from 1) runs at {@code lr * (1 - max(0, e - niter - 1) / niter_decay)}. {@link #state()} holds
 * everything the next step depends on. A local generator may train only its outermost enhancer for the
 * first {@code niter_fix_global} epochs, then all of G with a fresh Adam (upstream's
 * {@code update_fixed_params}).
 */
public final class DistillTrainer {
    /** The loop's settings. */
    public record Settings(double lr, double beta1, int niter, int niterDecay, long stepsPerEpoch, double lambdaFeat,
                           double lambdaL1, PairAugment.Settings augment, long seed, int niterFixGlobal) {
        public Settings(double lr, double beta1, int niter, int niterDecay, long stepsPerEpoch, double lambdaFeat,
                        double lambdaL1, PairAugment.Settings augment, long seed) {
            this(lr, beta1, niter, niterDecay, stepsPerEpoch, lambdaFeat, lambdaL1, augment, seed, 0);
        }

        /** The same with the first {@code epochs} epochs training only a local generator's enhancer. */
        public Settings fixingGlobalFor(int epochs) {
            return new Settings(lr, beta1, niter, niterDecay, stepsPerEpoch, lambdaFeat, lambdaL1, augment, seed, epochs);
        }

        /** Steps that train only the enhancer. */
        public long fixedGlobalSteps() {
            return niterFixGlobal * stepsPerEpoch;
        }

        public long totalSteps() {
            return (long) (niter + niterDecay) * stepsPerEpoch;
        }

        /** The learning-rate factor of a step (0-based). */
        public double lrFactor(long step) {
            long epoch = step / stepsPerEpoch + 1;
            return niterDecay == 0 ? 1.0 : 1.0 - Math.max(0, epoch - niter - 1) / (double) niterDecay;
        }
    }

    /** Everything the next step depends on. */
    public record State(long step, Map<String, Tensor> g, Map<String, Tensor> d, Adam.State adamG, Adam.State adamD,
                        byte[] random) {}

    /** One step's losses (G's terms, then D's) and the learning rate it ran at. */
    public record StepLosses(Map<String, Double> losses, double lr) {}

    private final Settings s;
    private final GeneratorConfig gConfig;
    private final DiscriminatorConfig dConfig;
    private final Map<String, Tensor> g;   // updated in place
    private final Map<String, Tensor> d;
    private final Map<String, Tensor> vgg;
    private Adam adamG;
    private Adam adamD;
    private double lrFactor = 1.0;
    private Random rnd;
    private long step;
    private GradientStep graphs;

    /** {@code vgg} null: no VGG loss. */
    public DistillTrainer(GeneratorConfig gConfig, Map<String, Tensor> g, DiscriminatorConfig dConfig, Map<String, Tensor> d,
                          Map<String, Tensor> vgg, Settings s) {
        this.s = s;
        this.gConfig = gConfig;
        this.dConfig = dConfig;
        this.g = copy(g);
        this.d = copy(d);
        this.vgg = vgg;
        this.rnd = new Random(s.seed());
        this.adamG = new Adam(s.lr(), s.beta1(), 0.999, 1e-8);
        this.adamD = new Adam(s.lr(), s.beta1(), 0.999, 1e-8);
    }

    static LinkedHashMap<String, Tensor> copy(Map<String, Tensor> m) {
        LinkedHashMap<String, Tensor> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, new Tensor(v.shape(), v.data().clone())));
        return c;
    }

    public GeneratorConfig generatorConfig() {
        return gConfig;
    }

    public DiscriminatorConfig discriminatorConfig() {
        return dConfig;
    }

    public long steps() {
        return step;
    }

    /** G's current tensors (a copy). */
    public LinkedHashMap<String, Tensor> generator() {
        return copy(g);
    }

    public State state() {
        return new State(step, copy(g), copy(d), adamG.state(), adamD.state(), TrainerCore.serialize(rnd));
    }

    /** Continues from a state taken from a trainer with the same networks and settings. */
    public void restore(State st) {
        load(g, st.g(), "G");
        load(d, st.d(), "D");
        step = st.step();
        lrFactor = s.lrFactor(step);
        adamG = new Adam(s.lr() * lrFactor, s.beta1(), 0.999, 1e-8);
        adamD = new Adam(s.lr() * lrFactor, s.beta1(), 0.999, 1e-8);
        adamG.restore(st.adamG());
        adamD.restore(st.adamD());
        rnd = TrainerCore.deserialize(st.random());
    }

    private static void load(Map<String, Tensor> mine, Map<String, Tensor> saved, String what) {
        if (!mine.keySet().equals(saved.keySet())) {
            throw new IllegalArgumentException(what + " in the saved state has other tensors than the network");
        }
        mine.forEach((k, t) -> {
            Tensor v = saved.get(k);
            if (!t.sameShape(v)) {
                throw new IllegalArgumentException(what + " in the saved state does not match the network at " + k);
            }
            System.arraycopy(v.data(), 0, t.data(), 0, v.data().length);
        });
    }

    /** One step on a batch of pairs [N, 6, R, R] in [-1, 1] (A's channels first, as {@code PairDataset} gives them). */
    public StepLosses step(INDArray pairs) {
        double f = s.lrFactor(step);
        if (f != lrFactor) { // a new epoch of the decay: same moments, new learning rate
            adamG = adamG.withLearningRate(s.lr() * f);
            adamD = adamD.withLearningRate(s.lr() * f);
            lrFactor = f;
        }
        PairAugment.Pair p = PairAugment.apply(s.augment(), rnd, half(pairs, 0), half(pairs, 1));
        if (graphs == null || !Arrays.equals(graphs.shapes()[0], p.a().shape())) {
            graphs = new GradientStep(new GradientStep.Nets(gConfig, g, dConfig, d, vgg, s.lambdaFeat(), s.lambdaL1()), p.a().shape(),
                    p.b().shape());
        }
        GradientStep.Result r = graphs.step(p.a(), p.b());
        if (s.niterFixGlobal() > 0 && step == s.fixedGlobalSteps()) {
            // upstream's update_fixed_params: from now on a new Adam over all of G
            adamG = new Adam(s.lr() * lrFactor, s.beta1(), 0.999, 1e-8);
        }
        Map<String, INDArray> gradsG = r.gradsG();
        if (step < s.fixedGlobalSteps()) { // only the outermost enhancer, as upstream's niter_fix_global
            String enhancer = "model" + gConfig.nLocalEnhancers() + "_";
            gradsG = new LinkedHashMap<>(gradsG);
            gradsG.keySet().removeIf(k -> !k.startsWith(enhancer));
        }
        update(adamG, g, gradsG);
        update(adamD, d, r.gradsD());
        step++;
        return new StepLosses(r.losses(), s.lr() * lrFactor);
    }

    /** A or B of a pair batch: channels [0, 3) or [3, 6). */
    static INDArray half(INDArray pairs, int which) {
        if (pairs.rank() != 4 || pairs.size(1) != 6) {
            throw new IllegalArgumentException("pair batches must be [N, 6, H, W], got " + Arrays.toString(pairs.shape()));
        }
        return pairs.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * which, 3 * which + 3), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
    }

    private static void update(Adam adam, Map<String, Tensor> net, Map<String, INDArray> grads) {
        Map<String, float[]> params = new LinkedHashMap<>();
        Map<String, float[]> gs = new LinkedHashMap<>();
        grads.forEach((k, v) -> {
            params.put(k, net.get(k).data());
            gs.put(k, NdArrays.floats(v));
        });
        adam.update(params, gs);
    }
}
