package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import tools.jackson.databind.JsonNode;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The explicit input-gradient graph of D: exact R1 in float32, checked against SameDiff and PyTorch. */
class ExactR1Test {
    @Test
    void inputGradientMatchesSameDiffsAndR1MatchesPyTorch() {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        INDArray real = Fixtures.npy("rosinality_tiny_train_real.npy");
        StepGradients sg = new StepGradients(m);
        float[] mine = NdArrays.floats(sg.inputGradient(real));
        float[] theirs = NdArrays.floats(sg.inputGradientBySameDiff(real));
        double max = 0;
        for (float v : theirs) {
            max = Math.max(max, Math.abs(v));
        }
        assertArrayEquals(theirs, mine, (float) (1e-4 * max));
        StepGradients.R1 r1 = sg.r1(real, 10);
        JsonNode scalars = Fixtures.json("rosinality_tiny_train.json").get("scalars");
        assertEquals(scalars.get("r1").asDouble(), r1.r1(), 1e-4 * Math.max(1, scalars.get("r1").asDouble()) + 1e-7);
        var ref = StepGradientsTest.filterDisc(Importer.rosinalityToCanonical(
                io.ukiyoe.core.io.Npy.readNpz(Fixtures.file("rosinality_tiny_train_grads_G.npz")),
                io.ukiyoe.core.io.Npy.readNpz(Fixtures.file("rosinality_tiny_train_grads_R1.npz"))));
        StepGradientsTest.assertGrads(ref, r1.grads(), 1e-3, "exact grads_R1");
    }

    /** A training run's R1 graph, built once and run on parameters that changed since, as a fresh one. */
    @Test
    void reusedR1GraphFollowsTheParametersItIsGiven() {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        INDArray real = Fixtures.npy("rosinality_tiny_train_real.npy");
        java.util.Map<String, io.ukiyoe.core.io.Tensor> changed = new java.util.LinkedHashMap<>(m.tensors());
        changed.replaceAll((name, t) -> {
            if (!name.startsWith("disc/")) {
                return t;
            }
            float[] v = t.data().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] * 0.9f + 0.01f * (i % 7);
            }
            return new io.ukiyoe.core.io.Tensor(t.shape(), v);
        });
        StyleGanModel other = m.with(changed, m.metadata());
        var graph = new StepGradients.R1Graph(m, real.size(0), 10);
        StepGradients.R1 first = graph.run(m.tensors(), real);
        StepGradients.R1 reused = graph.run(other.tensors(), real);
        StepGradients.R1 fresh = new StepGradients(other).r1(real, 10);
        assertEquals(fresh.r1(), reused.r1(), 1e-6 * Math.abs(fresh.r1()));
        org.junit.jupiter.api.Assertions.assertNotEquals(first.r1(), reused.r1(), "the parameters changed R1");
        StepGradientsTest.assertGrads(fresh.grads(), reused.grads(), 1e-5, "R1 gradients of the reused graph");
        assertEquals(first.r1(), graph.run(m.tensors(), real).r1(), 1e-6 * Math.abs(first.r1()), "and back");
    }

    /** The clamped activations of stylegan2-ada models (conv_clamp), and its fixture model. */
    @Test
    void inputGradientWithConvClampMatchesSameDiffs() {
        StyleGanModel ada = Importer.importFile(Fixtures.file("ada_tiny_snapshot.pkl"), Importer.Format.AUTO);
        INDArray x = Fixtures.npy("ada_tiny_d_input_rand.npy");
        java.util.List<float[]> seen = new java.util.ArrayList<>();
        for (Double clamp : new Double[] {null, 0.05}) {
            StyleGanModel m = new StyleGanModel(ada.config().withConvClamp(clamp), ada.tensors(), ada.metadata());
            StepGradients sg = new StepGradients(m);
            float[] theirs = NdArrays.floats(sg.inputGradientBySameDiff(x));
            double max = 0;
            for (float v : theirs) {
                max = Math.max(max, Math.abs(v));
            }
            assertArrayEquals(theirs, NdArrays.floats(sg.inputGradient(x)), (float) (1e-4 * max), "clamp " + clamp);
            seen.add(theirs);
        }
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(seen.get(0), seen.get(1)),
                "the clamp is active at 0.05");
    }
}
