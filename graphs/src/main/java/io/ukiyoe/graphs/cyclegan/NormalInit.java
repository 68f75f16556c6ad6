package io.ukiyoe.graphs.cyclegan;

import io.ukiyoe.core.io.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * CycleGAN's {@code init_weights(net, 'normal', 0.02)}: every conv and transposed-conv weight ~ N(0, 0.02),
 * every bias 0 (instance norm has no parameters). The stream is java.util.Random's, not torch's: fresh
 * networks are reproducible here, not bitwise those of the reference.
 */
public final class NormalInit {
    static final double STD = 0.02;

    private NormalInit() {}

    /** Fresh tensors for canonical name -> shape; names ending in {@code bias} are zero. */
    public static LinkedHashMap<String, Tensor> init(Map<String, long[]> shapes, long seed) {
        Random r = new Random(seed);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        shapes.forEach((k, s) -> {
            Tensor t = Tensor.zeros(s);
            if (!k.endsWith("bias")) {
                float[] d = t.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (STD * r.nextGaussian());
                }
            }
            out.put(k, t);
        });
        return out;
    }
}
