package io.ukiyoe.training;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The tensors a training run updates: G, its EMA and D, as the trainer's own copies (the optimisers and
 * the EMA update them in place), with the frozen tensors that never change.
 */
final class TrainParameters {
    final Map<String, Tensor> g = new LinkedHashMap<>();
    final Map<String, Tensor> d = new LinkedHashMap<>();
    final Map<String, Tensor> gEma;
    private final StyleGanModel template;
    private final Predicate<String> frozen;

    TrainParameters(StyleGanModel start, Predicate<String> frozen) {
        this.template = start;
        this.frozen = frozen;
        start.tensors().forEach((k, v) -> (Names.isDiscriminator(k) ? d : g).put(k, copy(v)));
        this.gEma = copy(g);
    }

    /** Whether a tensor is updated by training (neither a buffer nor frozen). */
    boolean trained(String name) {
        return !Names.isBuffer(name) && !frozen.test(name);
    }

    boolean frozen(String name) {
        return frozen.test(name);
    }

    /** The current generator (G) and discriminator, or the EMA generator and D, as a model (copies). */
    StyleGanModel model(boolean ema) {
        Map<String, Tensor> all = copy(ema ? gEma : g);
        all.putAll(copy(d));
        return template.with(all, template.metadata());
    }

    /** Adam on the parameters of one side, in place (frozen tensors and buffers never change). */
    void update(Map<String, Tensor> side, Map<String, float[]> grads, Adam adam) {
        Map<String, float[]> params = new LinkedHashMap<>();
        grads.forEach((k, a) -> {
            if (side.containsKey(k) && trained(k)) {
                params.put(k, side.get(k).data());
            }
        });
        adam.update(params, grads);
    }

    /** Replaces every tensor of G, G_ema and D by the saved ones (which must match the model's shapes). */
    void restore(Map<String, Tensor> savedG, Map<String, Tensor> savedEma, Map<String, Tensor> savedD) {
        replace(g, savedG, "G");
        replace(gEma, savedEma, "G_ema");
        replace(d, savedD, "D");
    }

    private static void replace(Map<String, Tensor> mine, Map<String, Tensor> saved, String what) {
        for (String k : mine.keySet()) {
            Tensor t = saved.get(k);
            if (t == null || !Arrays.equals(t.shape(), mine.get(k).shape())) {
                throw new IllegalArgumentException(what + " in the saved state does not match the model at " + k);
            }
        }
        mine.replaceAll((k, t) -> copy(saved.get(k)));
    }

    /** Tensors with arrays of their own. */
    static Map<String, Tensor> copy(Map<String, Tensor> tensors) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, copy(t)));
        return out;
    }

    private static Tensor copy(Tensor t) {
        return new Tensor(t.shape(), t.data().clone());
    }
}
