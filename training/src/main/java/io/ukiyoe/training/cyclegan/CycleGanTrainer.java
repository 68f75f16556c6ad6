package io.ukiyoe.training.cyclegan;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.training.Adam;
import io.ukiyoe.training.TrainerCore;
import io.ukiyoe.training.cyclegan.CycleGanNets.Net;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CycleGANModel's {@code optimize_parameters}, step after step: random crops of both batches, the G step
 * (both generators, one Adam), then the D step on pooled fakes (both discriminators, another Adam);
 * Adam {@code (beta1, 0.999)}; the learning rate constant for {@code n_epochs} epochs, then decaying
 * linearly over {@code n_epochs_decay} epochs (epoch {@code e}, counted from 1, runs at
 * {@code lr * (1 - max(0, e - n_epochs) / (n_epochs_decay + 1))}: upstream's LambdaLR stepped after
 * each epoch). {@link #state()} holds everything the next step depends on.
 */
public final class CycleGanTrainer {
    /** The loop's settings; {@code crop} 0 = no crop. */
    public record Settings(Lambdas lambdas, double lr, double beta1, int poolSize, int nEpochs, int nEpochsDecay,
                           long stepsPerEpoch, int crop, long seed) {
        public long totalSteps() {
            return (long) (nEpochs + nEpochsDecay) * stepsPerEpoch;
        }

        /** The learning-rate factor of a step (0-based) under the linear-decay schedule. */
        public double lrFactor(long step) {
            long epoch = step / stepsPerEpoch + 1;
            return 1.0 - Math.max(0, epoch - nEpochs) / (double) (nEpochsDecay + 1);
        }
    }

    /** Everything the next step depends on. */
    public record State(long step, Map<Net, Map<String, Tensor>> nets, Adam.State adamG, Adam.State adamD,
                        List<float[]> poolA, List<float[]> poolB, byte[] random) {}

    /** One step's losses (G's terms and D's) and the learning rate it ran at. */
    public record StepLosses(Map<String, Double> losses, double lr) {}

    private final Settings s;
    private final CycleGanNets nets;
    private final ImagePool poolA;
    private final ImagePool poolB;
    private Adam adamG;
    private Adam adamD;
    private double lrFactor = Double.NaN;
    private Random rnd;
    private long step;
    private CycleGanGraphs graphs;

    public CycleGanTrainer(CycleGanNets start, Settings s) {
        this.s = s;
        this.nets = start.copy(); // updated in place
        this.poolA = new ImagePool(s.poolSize());
        this.poolB = new ImagePool(s.poolSize());
        this.rnd = new Random(s.seed());
        this.adamG = adam(1);
        this.adamD = adam(1);
    }

    private Adam adam(double factor) {
        return new Adam(s.lr() * factor, s.beta1(), 0.999, 1e-8);
    }

    public long steps() {
        return step;
    }

    /** The current networks (copies). */
    public CycleGanNets nets() {
        return nets.copy();
    }

    public State state() {
        return new State(step, nets.copy().tensors(), adamG.state(), adamD.state(), poolA.contents(), poolB.contents(),
                TrainerCore.serialize(rnd));
    }

    /** Continues from a state taken from a trainer with the same networks and settings. */
    public void restore(State st) {
        for (Net n : Net.values()) {
            Map<String, Tensor> mine = nets.get(n);
            Map<String, Tensor> saved = st.nets().get(n);
            for (Map.Entry<String, Tensor> e : mine.entrySet()) {
                Tensor t = saved == null ? null : saved.get(e.getKey());
                if (t == null || !e.getValue().sameShape(t)) {
                    throw new IllegalArgumentException(n + " in the saved state does not match the networks at " + e.getKey());
                }
                System.arraycopy(t.data(), 0, e.getValue().data(), 0, t.data().length);
            }
        }
        step = st.step();
        lrFactor = s.lrFactor(step);
        adamG = adam(lrFactor);
        adamD = adam(lrFactor);
        adamG.restore(st.adamG());
        adamD.restore(st.adamD());
        poolA.restore(st.poolA());
        poolB.restore(st.poolB());
        rnd = TrainerCore.deserialize(st.random());
    }

    /** One step on batches of both domains [N, C, S, S] in [-1, 1] (S = the load size). */
    public StepLosses step(INDArray realA, INDArray realB) {
        double f = s.lrFactor(step);
        if (f != lrFactor) { // a new epoch of the decay: same moments, new learning rate
            adamG = adamG.withLearningRate(s.lr() * f);
            adamD = adamD.withLearningRate(s.lr() * f);
            lrFactor = f;
        }
        if (s.crop() > 0) {
            realA = crop(realA);
            realB = crop(realB);
        }
        if (graphs == null || !java.util.Arrays.equals(graphs.shape(), realA.shape())) {
            graphs = new CycleGanGraphs(nets, s.lambdas(), realA.shape());
        }
        CycleGanGraphs.GResult g = graphs.generators(realA, realB, List.of("fake_A", "fake_B"));
        update(adamG, g.grads());
        // backward_D_A queries the pool of B fakes first, then backward_D_B the pool of A fakes
        INDArray fakeB = poolB.query(g.images().get("fake_B"), rnd);
        INDArray fakeA = poolA.query(g.images().get("fake_A"), rnd);
        CycleGanGraphs.DResult d = graphs.discriminators(realA, realB, fakeA, fakeB);
        update(adamD, d.grads());
        step++;
        Map<String, Double> losses = new LinkedHashMap<>(g.losses());
        losses.putAll(d.losses());
        return new StepLosses(losses, s.lr() * lrFactor);
    }

    /** Adam on the given networks' tensors, in place; names carry the network ({@code G_A/model/1/weight}). */
    private void update(Adam adam, Map<Net, Map<String, Tensor>> grads) {
        Map<String, float[]> params = new LinkedHashMap<>();
        Map<String, float[]> g = new LinkedHashMap<>();
        grads.forEach((n, m) -> m.forEach((k, t) -> {
            params.put(n.scope() + k, nets.get(n).get(k).data());
            g.put(n.scope() + k, t.data());
        }));
        adam.update(params, g);
    }

    /** A random crop of size {@code crop} per image (upstream's RandomCrop after the resize). */
    private INDArray crop(INDArray batch) {
        long n = batch.size(0);
        long c = batch.size(1);
        int h = (int) batch.size(2);
        int w = (int) batch.size(3);
        int k = s.crop();
        if (k == h && k == w) {
            return batch;
        }
        float[] in = batch.dup('c').data().asFloat();
        float[] out = new float[(int) (n * c * k * k)];
        for (int i = 0; i < n; i++) {
            int top = rnd.nextInt(h - k + 1);
            int left = rnd.nextInt(w - k + 1);
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < k; y++) {
                    System.arraycopy(in, (int) (((i * c + ch) * h + top + y) * w + left), out,
                            (int) (((i * c + ch) * k + y) * k), k);
                }
            }
        }
        return Nd4j.create(out, new long[] {n, c, k, k}, DataType.FLOAT);
    }

    /** The networks' tensors in checkpoint layout: {@code G_A/model/1/weight}, ... */
    static Map<String, Tensor> flat(Map<Net, Map<String, Tensor>> nets) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        nets.forEach((n, m) -> m.forEach((k, t) -> out.put(n.scope() + k, t)));
        return out;
    }

    static Map<Net, Map<String, Tensor>> unflat(Map<String, Tensor> all) {
        Map<Net, Map<String, Tensor>> out = new EnumMap<>(Net.class);
        for (Net n : Net.values()) {
            out.put(n, io.ukiyoe.graphs.model.CheckpointLayout.section(all, n.scope()));
        }
        return out;
    }
}
