package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.util.LinkedHashMap;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The pix2pixHD fixtures ({@code ../shared/fixtures/p2p}) and random state dicts for other shapes. */
final class P2pFixtures {
    private P2pFixtures() {}

    static LinkedHashMap<String, Tensor> stateDict(String file) {
        return StateDicts.canonical(StateDicts.load(Fixtures.file("p2p/" + file)));
    }

    static INDArray npy(String name) {
        return Fixtures.npy("p2p/" + name);
    }

    /** Random tensors (N(0, std)) of the given shapes. */
    static LinkedHashMap<String, Tensor> random(LinkedHashMap<String, long[]> shapes, long seed, double std) {
        Random rng = new Random(seed);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        shapes.forEach((k, s) -> {
            float[] d = new float[Math.toIntExact(Tensor.numel(s))];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (rng.nextGaussian() * std);
            }
            out.put(k, new Tensor(s, d));
        });
        return out;
    }
}
