package io.ukiyoe.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.GeneratorGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** G's explicit latent-gradient graph (exact path length) against SameDiff's own gradient, with and without clamps. */
class ExactPathLengthTest {
    private static INDArray random(long seed, long... shape) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[(int) io.ukiyoe.core.io.Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        float[] theirs = NdArrays.floats(expected);
        double max = 0;
        for (float v : theirs) {
            max = Math.max(max, Math.abs(v));
        }
        assertArrayEquals(theirs, NdArrays.floats(actual), (float) (1e-4 * max), what);
    }

    @Test
    void latentGradientMatchesSameDiffsOnBothFixtureModels() {
        for (String file : new String[] {"rosinality_tiny.pt", "ada_tiny_snapshot.pkl"}) {
            StyleGanModel m = Importer.importFile(Fixtures.file(file), Importer.Format.AUTO);
            int r = m.config().resolution();
            INDArray ws = random(11, 3, m.config().numWs(), m.config().wDim());
            INDArray noise = random(12, 3, 3, r, r).div(r);
            StepGradients sg = new StepGradients(m);
            assertClose(sg.latentGradientBySameDiff(ws, noise), sg.latentGradient(ws, noise), file);
        }
    }

    /** stylegan2-ada's conv_clamp: the clamped units pass no gradient, in the convs and the toRGB layers. */
    @Test
    void latentGradientWithConvClampMatchesSameDiffs() {
        StyleGanModel ada = Importer.importFile(Fixtures.file("ada_tiny_snapshot.pkl"), Importer.Format.AUTO);
        int r = ada.config().resolution();
        INDArray ws = random(21, 2, ada.config().numWs(), ada.config().wDim());
        INDArray noise = random(22, 2, 3, r, r).div(r);
        List<float[]> seen = new ArrayList<>();
        for (Double clamp : new Double[] {null, 0.05}) {
            StyleGanModel m = new StyleGanModel(ada.config().withConvClamp(clamp), ada.tensors(), ada.metadata());
            StepGradients sg = new StepGradients(m);
            INDArray theirs = sg.latentGradientBySameDiff(ws, noise);
            assertClose(theirs, sg.latentGradient(ws, noise), "clamp " + clamp);
            seen.add(NdArrays.floats(theirs));
        }
        assertFalse(java.util.Arrays.equals(seen.get(0), seen.get(1)), "the clamp is active at 0.05");
    }

    /**
     * The trainer's form (prepared weights, noise inputs, moving mean) gives the gradients
     * of the checking form for the same inputs, and the mean moves by the decay.
     */
    @Test
    void preparedGraphWithNoiseInputsAgreesWithTheCheckingForm() {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        int r = m.config().resolution();
        INDArray z = random(31, 2, m.config().zDim());
        INDArray plNoise = random(32, 2, 3, r, r).div(r);
        Map<String, INDArray> constNoise = new java.util.LinkedHashMap<>();
        for (int res = 4; res <= r; res *= 2) {
            for (String conv : res == 4 ? new String[] {"conv1"} : new String[] {"conv0", "conv1"}) {
                String layer = io.ukiyoe.graphs.model.Names.layer(res, conv);
                constNoise.put(GeneratorGraph.noiseInput(layer), io.ukiyoe.graphs.stylegan2.Ops.array(m.tensor(layer + "/noise_const"))
                        .reshape(1, 1, res, res).repeat(0, 2));
            }
        }
        StepGradients.PathLength ref = new StepGradients(m).pathLength(z, plNoise, 0.3, 0.01);
        PathLengthGraph fast = new PathLengthGraph(m, 2, 0.01, GeneratorGraph.Noise.INPUT, true);
        fast.weights().load(fast.sameDiff(), m.tensors());
        PathLengthGraph.Output o = fast.run(z, plNoise, constNoise, 0.3);
        assertArrayEquals(ref.lengths(), o.lengths(), 1e-5);
        double batchMean = (o.lengths()[0] + o.lengths()[1]) / 2;
        assertEquals(0.3 + 0.01 * (batchMean - 0.3), o.mean(), 1e-6);
        Map<String, float[]> grads = fast.weights().gradients(o.grads());
        ref.grads().forEach((k, t) -> {
            float[] mine = grads.get(k);
            double max = 0;
            for (float v : t.data()) {
                max = Math.max(max, Math.abs(v));
            }
            if (max == 0) {
                return;
            }
            assertArrayEquals(t.data(), mine, (float) (1e-4 * max), k);
        });
    }
}
