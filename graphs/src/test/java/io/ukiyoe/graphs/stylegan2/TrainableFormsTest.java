package io.ukiyoe.graphs.stylegan2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The forms that only trainable graphs take (polyphase up-convs and D's downsampling FIR as average
 * pools, prepared weight views, D's pair of batches) against the inference forms and plain calls.
 */
class TrainableFormsTest {
    private static final int N = 3;
    private static final StyleGanConfig CONFIG =
            StyleGanConfig.of(16, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6));

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    private static void assertClose(INDArray want, INDArray got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what);
        double diff = maxAbs(want.sub(got));
        assertTrue(diff <= 1e-5 * Math.max(1, maxAbs(want)), what + " differs by " + diff);
    }

    /**
     * Gradients by canonical parameter name: of the graph's parameter variables, or (with prepared
     * weights {@code w}) of their views mapped back.
     */
    private static Map<String, INDArray> gradients(SameDiff sd, Map<String, INDArray> feed, Map<String, SDVariable> params,
                                                   PreparedWeights w, StyleGanModel model) {
        if (w == null) {
            List<String> trainable = params.values().stream()
                    .filter(v -> v.getVariableType() == VariableType.VARIABLE).map(SDVariable::name).toList();
            assertTrue(trainable.size() > 10, "trainable parameters: " + trainable);
            return new HashMap<>(sd.calculateGradients(feed, trainable));
        }
        Map<String, INDArray> out = new HashMap<>();
        w.gradients(sd.calculateGradients(feed, w.variables(n -> true)))
                .forEach((n, v) -> out.put(n, Nd4j.create(v, model.tensor(n).shape(), DataType.FLOAT)));
        return out;
    }

    /**
     * [image, gradients of sum(image * upstream) by canonical parameter] of a trainable G graph fed ws
     * [N, num_ws, w_dim] (synthesis) or z [N, z_dim] (mapping too). With prepared weights the graph is
     * built from {@code built}, then loaded with {@code model}.
     */
    private static Map<String, INDArray> generator(StyleGanModel built, StyleGanModel model, INDArray input,
                                                   INDArray upstream, boolean prepared) {
        SameDiff sd = SameDiff.create();
        GeneratorGraph g = new GeneratorGraph(sd, built, prepared ? Weights.Form.PREPARED : Weights.Form.TRAINABLE);
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, input.shape());
        SDVariable ws = input.rank() == 2 ? g.broadcastAndTruncate(g.mapping(in), 1, CONFIG.numWs()) : in;
        SDVariable img = g.synthesis(ws, GeneratorGraph.Noise.CONST);
        sd.identity("img", img);
        sd.sum("loss", img.mul(sd.constant(upstream)));
        sd.setLossVariables("loss");
        PreparedWeights w = prepared ? g.weights() : null;
        if (prepared) {
            w.load(sd, model.tensors());
        }
        Map<String, INDArray> out = gradients(sd, Map.of("in", input), g.params(), w, model);
        out.put("img", sd.output(Map.of("in", input), "img").get("img"));
        return out;
    }

    @Test
    void trainableGeneratorMatchesInferenceInValue() {
        StyleGanModel model = Init.random(CONFIG, 5, true);
        Nd4j.getRandom().setSeed(21);
        INDArray ws = Nd4j.randn(DataType.FLOAT, N, CONFIG.numWs(), CONFIG.wDim());
        INDArray upstream = Nd4j.randn(DataType.FLOAT, N, 3, 16, 16);
        Map<String, INDArray> trainable = generator(model, model, ws, upstream, false);
        // inference graph: transposed conv + blur below 256 px, constants instead of variables
        INDArray reference = new Generator(model).synthesis(ws, Generator.NoiseMode.CONST, 0);
        assertClose(reference, trainable.get("img"), "trainable image");
    }

    @Test
    void singleSampleGraphsMatchBatchedOnes() {
        // 256 px so that the fused (style-in-the-weights) form covers the transposed conv (128), the polyphase
        // pair (256), the conv and toRGB
        StyleGanConfig c = StyleGanConfig.of(256, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 8, 32, 8, 64, 6, 128, 6, 256, 4));
        StyleGanModel model = Init.random(c, 8, false);
        Nd4j.getRandom().setSeed(24);
        INDArray ws = Nd4j.randn(DataType.FLOAT, 3, c.numWs(), c.wDim());
        Generator g = new Generator(model);
        INDArray batched = g.synthesis(ws, Generator.NoiseMode.CONST, 0);
        for (int i = 0; i < 3; i++) {
            INDArray one = g.synthesis(ws.get(NDArrayIndex.interval(i, i + 1)), Generator.NoiseMode.CONST, 0);
            assertClose(batched.get(NDArrayIndex.interval(i, i + 1)), one, "image " + i + " alone");
        }
    }

    @Test
    void trainableDiscriminatorMatchesInference() {
        StyleGanModel model = Init.random(CONFIG, 6, true);
        Nd4j.getRandom().setSeed(22);
        INDArray x = Nd4j.randn(DataType.FLOAT, N + 1, 3, 16, 16);
        INDArray[] logits = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            SameDiff sd = SameDiff.create();
            SDVariable in = sd.placeHolder("x", DataType.FLOAT, N + 1, 3, 16, 16);
            sd.identity("logits", new DiscriminatorGraph(sd, model, i == 0).logits(in, 2));
            logits[i] = sd.output(Map.of("x", x), "logits").get("logits");
        }
        assertClose(logits[1], logits[0], "trainable (FIR as average pools) vs inference logits");
    }

    /** [D(a), D(b), gradients of sum(D(a)) + 2 sum(D(b)) by parameter], as a pair or as two calls. */
    private static Map<String, INDArray> discriminate(StyleGanModel model, INDArray a, INDArray b, boolean pair) {
        return discriminate(model, model, a, b, pair, false);
    }

    /** As above; with prepared weights the graph is built from {@code built}, then loaded with {@code model}. */
    private static Map<String, INDArray> discriminate(StyleGanModel built, StyleGanModel model, INDArray a, INDArray b,
                                                      boolean pair, boolean prepared) {
        SameDiff sd = SameDiff.create();
        DiscriminatorGraph d = new DiscriminatorGraph(sd, built, prepared ? Weights.Form.PREPARED : Weights.Form.TRAINABLE);
        SDVariable ina = sd.placeHolder("a", DataType.FLOAT, a.shape());
        SDVariable inb = sd.placeHolder("b", DataType.FLOAT, b.shape());
        SDVariable[] logits = pair ? d.logitsPair(ina, inb, 2, a.size(0))
                : new SDVariable[] {d.logits(ina, 2), d.logits(inb, 2)};
        sd.identity("la", logits[0]);
        sd.identity("lb", logits[1]);
        sd.sum("loss", logits[0].add(logits[1].mul(2)));
        sd.setLossVariables("loss");
        Map<String, INDArray> feed = Map.of("a", a, "b", b);
        PreparedWeights w = prepared ? d.weights() : null;
        if (prepared) {
            w.load(sd, model.tensors());
        }
        Map<String, INDArray> out = gradients(sd, feed, d.params(), w, model);
        out.putAll(sd.output(feed, "la", "lb"));
        return out;
    }

    @Test
    void preparedWeightsGiveTheSameGeneratorAndGradients() {
        StyleGanModel model = Init.random(CONFIG, 9, true);
        // other parameters, the same buffers (constant noise maps are graph constants, not loaded)
        Map<String, io.ukiyoe.core.io.Tensor> mixed = new HashMap<>(Init.random(CONFIG, 10, true).tensors());
        model.tensors().forEach((k, t) -> {
            if (io.ukiyoe.graphs.model.Names.isBuffer(k)) {
                mixed.put(k, t);
            }
        });
        StyleGanModel other = model.with(mixed, model.metadata());
        Nd4j.getRandom().setSeed(25);
        INDArray z = Nd4j.randn(DataType.FLOAT, N, CONFIG.zDim());
        INDArray upstream = Nd4j.randn(DataType.FLOAT, N, 3, 16, 16);
        Map<String, INDArray> plain = generator(model, model, z, upstream, false);
        // built from another model, then loaded: what a training step does with updated parameters
        Map<String, INDArray> prepared = generator(other, model, z, upstream, true);
        assertClose(plain.get("img"), prepared.get("img"), "image");
        assertTrue(plain.size() > 20, "gradients: " + plain.keySet());
        plain.forEach((name, want) -> {
            assertTrue(prepared.containsKey(name), "no gradient of " + name + " from the prepared graph");
            assertClose(want, prepared.get(name), "gradient of " + name);
        });
        assertTrue(!prepared.get("img").equalsWithEps(generator(other, other, z, upstream, true).get("img"), 1e-3),
                "loading another model changes the image");
    }

    /** The D pair and, with prepared weights (built from another model, then loaded), the pair again against two plain calls. */
    @Test
    void discriminatorPairAndPreparedWeightsEqualTwoPlainCalls() {
        StyleGanModel model = Init.random(CONFIG, 7, true);
        Nd4j.getRandom().setSeed(23);
        INDArray a = Nd4j.randn(DataType.FLOAT, 4, 3, 16, 16);
        INDArray b = Nd4j.randn(DataType.FLOAT, 4, 3, 16, 16).mul(0.5);
        Map<String, INDArray> two = discriminate(model, a, b, false);
        Map<String, INDArray> pair = discriminate(model, a, b, true);
        Map<String, INDArray> prepared = discriminate(Init.random(CONFIG, 12, true), model, a, b, true, true);
        assertTrue(two.size() > 10, "gradients: " + two.keySet());
        two.forEach((name, want) -> {
            assertClose(want, pair.get(name), name);
            assertTrue(prepared.containsKey(name), "nothing for " + name + " from the prepared graph");
            assertClose(want, prepared.get(name), name + " (prepared)");
        });
    }
}
