package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tools.jackson.databind.JsonNode;

/** One training step against the PyTorch fixtures (rosinality, batch 4, const noise, no mixing). */
class StepGradientsTest {
    static StepGradients.Result r;
    static JsonNode scalars;
    static Map<String, Tensor> gradsG;
    static Map<String, Tensor> gradsD;

    @BeforeAll
    static void run() {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        INDArray z = Fixtures.npy("rosinality_tiny_z.npy").get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()).dup();
        r = new StepGradients(m).compute(z, Fixtures.npy("rosinality_tiny_train_real.npy"),
                Fixtures.npy("rosinality_tiny_train_pl_noise.npy"), 10, 0.5);
        scalars = Fixtures.json("rosinality_tiny_train.json").get("scalars");
        gradsG = Npy.readNpz(Fixtures.file("rosinality_tiny_train_grads_G.npz"));
        gradsD = Npy.readNpz(Fixtures.file("rosinality_tiny_train_grads_D.npz"));
    }

    /** Reference gradients under canonical names. */
    static Map<String, Tensor> canonical(String file, boolean generator) {
        Map<String, Tensor> ref = Npy.readNpz(Fixtures.file(file));
        return generator ? Importer.rosinalityToCanonical(ref, null)
                : filterDisc(Importer.rosinalityToCanonical(gradsG, ref));
    }

    static Map<String, Tensor> filterDisc(Map<String, Tensor> all) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith("disc/")) {
                out.put(k, v);
            }
        });
        return out;
    }

    static void assertGrads(Map<String, Tensor> ref, Map<String, Tensor> mine, double tol, String what) {
        assertEquals(ref.keySet(), mine.keySet(), what);
        ref.forEach((k, t) -> {
            Tensor m = mine.get(k);
            assertNotNull(m, k);
            double max = 0;
            double diff = 0;
            for (int i = 0; i < t.data().length; i++) {
                max = Math.max(max, Math.abs(t.data()[i]));
                diff = Math.max(diff, Math.abs(t.data()[i] - m.data()[i]));
            }
            assertTrue(diff <= tol * Math.max(max, 1e-12) || (max == 0 && diff == 0),
                    what + " " + k + ": max |diff| " + diff + " vs max |ref| " + max);
        });
    }

    @Test
    void lossesMatch() {
        assertEquals(scalars.get("loss_D").asDouble(), r.lossD(), 1e-4);
        assertEquals(scalars.get("loss_G").asDouble(), r.lossG(), 1e-4);
        assertEquals(scalars.get("r1").asDouble(), r.r1(), 1e-4 * Math.max(1, scalars.get("r1").asDouble()) + 1e-7);
        for (int i = 0; i < 4; i++) {
            assertEquals(scalars.get("path_lengths").get(i).asDouble(), r.pathLengths()[i], 1e-3);
        }
    }

    @Test
    void exactGradientsMatchWithin1e3() {
        assertGrads(canonical("rosinality_tiny_train_grads_D.npz", false), r.gradsD(), 1e-3, "grads_D");
        assertGrads(canonical("rosinality_tiny_train_grads_G.npz", true), r.gradsG(), 1e-3, "grads_G");
    }

    @Test
    void oneAdamStepOnDMatchesTorch() {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        Map<String, Tensor> params = new java.util.LinkedHashMap<>();
        r.gradsD().keySet().forEach(k -> params.put(k, m.tensor(k)));
        Adam adam = new Adam(0.002, 0.0, 0.99, 1e-8);
        Map<String, Tensor> stepped = adam.step(params, r.gradsD());
        assertGrads(canonical("rosinality_tiny_train_adam_D.npz", false), stepped, 1e-3, "adam_D");
    }

    @Test
    void exactR1GradientsMatchWithin1e3() {
        assertGrads(canonical("rosinality_tiny_train_grads_R1.npz", false), r.gradsR1(), 1e-3, "grads_R1");
    }

    @Test
    void exactPathLengthGradientsMatchWithin1e3() {
        assertGrads(canonical("rosinality_tiny_train_grads_PL.npz", true), r.gradsPL(), 1e-3, "grads_PL");
        double penalty = 0;
        for (double l : r.pathLengths()) {
            penalty += (l - 0.5) * (l - 0.5) / r.pathLengths().length;
        }
        assertEquals(scalars.get("pl_penalty").asDouble(), penalty, 1e-3);
    }
}
