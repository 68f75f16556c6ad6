package io.ukiyoe.graphs.model;

import io.ukiyoe.core.io.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * StyleGAN2's initialisation (stored weights N(0, 1) — the equalised-lr scale is applied at run
 * time — biases 0, style-affine biases 1, noise strengths 0, w_avg 0, constant noise maps N(0, 1)).
 */
public final class Init {
    private Init() {}

    public static StyleGanModel random(StyleGanConfig c, long seed, boolean withDiscriminator) {
        Random rnd = new Random(seed);
        Map<String, Tensor> t = new LinkedHashMap<>();
        Map<String, long[]> names = new LinkedHashMap<>(Names.generator(c));
        if (withDiscriminator) {
            names.putAll(Names.discriminator(c));
        }
        names.forEach((name, shape) -> {
            Tensor x = Tensor.zeros(shape);
            if (name.endsWith("/affine/bias")) {
                java.util.Arrays.fill(x.data(), 1f);
            } else if (name.endsWith("weight") || name.endsWith("/const") || name.endsWith("noise_const")) {
                for (int i = 0; i < x.data().length; i++) {
                    x.data()[i] = (float) rnd.nextGaussian();
                }
            }
            t.put(name, x);
        });
        return new StyleGanModel(c, t, Map.of("source", "random initialisation, seed " + seed));
    }
}
