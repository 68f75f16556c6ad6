package io.ukiyoe.graphs.stylegan2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The shapes declared at G's and D's block boundaries hold in every weight form and speed form. */
class BlockShapesTest {
    // channels that change at every resolution, so that a block wired to the wrong width shows
    private static final StyleGanConfig CONFIG = StyleGanConfig.of(32, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6, 32, 4));

    /** Runs a G graph once, fetching every declared boundary, and checks them; returns how many there were. */
    private static int checkGenerator(StyleGanModel model, Weights.Form form, boolean single) {
        int n = single ? 1 : 3;
        SameDiff sd = SameDiff.create();
        GeneratorGraph g = new GeneratorGraph(sd, model, form);
        if (single) {
            g.singleSample();
        }
        SDVariable z = sd.placeHolder("z", DataType.FLOAT, n, CONFIG.zDim());
        sd.identity("img", g.synthesis(g.broadcastAndTruncate(g.mapping(z), 1, CONFIG.numWs()), GeneratorGraph.Noise.CONST));
        if (form == Weights.Form.PREPARED) {
            g.weights().load(sd, model.tensors());
        }
        Nd4j.getRandom().setSeed(31);
        INDArray zs = Nd4j.randn(DataType.FLOAT, n, CONFIG.zDim());
        Map<String, INDArray> out = g.shapes().run(listeners -> sd.output(Map.of("z", zs), listeners, "img"));
        assertEquals(1, out.size(), "only the asked output: " + out.keySet());
        assertArrayEquals(new long[] {n, 3, 32, 32}, out.get("img").shape());
        return g.shapes().size();
    }

    @Test
    void generatorBlocksHandOnTheDeclaredShapesInEveryForm() {
        StyleGanModel model = Init.random(CONFIG, 7, true);
        // mapping's w, x and img of blocks 4, 8, 16, 32, the output image
        int declared = 1 + 2 * 4 + 1;
        assertEquals(declared, checkGenerator(model, Weights.Form.CONSTANT, false));
        assertEquals(declared, checkGenerator(model, Weights.Form.CONSTANT, true));
        assertEquals(declared, checkGenerator(model, Weights.Form.TRAINABLE, false));
        assertEquals(declared, checkGenerator(model, Weights.Form.PREPARED, false));
    }

    @Test
    void discriminatorBlocksHandOnTheDeclaredShapesInEveryForm() {
        StyleGanModel model = Init.random(CONFIG, 8, true);
        for (Weights.Form form : Weights.Form.values()) {
            SameDiff sd = SameDiff.create();
            DiscriminatorGraph d = new DiscriminatorGraph(sd, model, form);
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, 4, 3, 32, 32);
            sd.identity("logits", d.logits(x, 2));
            if (form == Weights.Form.PREPARED) {
                d.weights().load(sd, model.tensors());
            }
            Nd4j.getRandom().setSeed(32);
            INDArray images = Nd4j.randn(DataType.FLOAT, 4, 3, 32, 32);
            Map<String, INDArray> out = d.shapes().run(listeners -> sd.output(Map.of("x", images), listeners, "logits"));
            assertArrayEquals(new long[] {4, 1}, out.get("logits").shape(), form.toString());
            assertEquals(1 + 3 + 1, d.shapes().size(), "fromrgb, blocks 32, 16, 8, the logits");
        }
    }

    @Test
    void aBoundaryOfTheWrongShapeIsNamedOnTheFirstPassOnly() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
        SDVariable block = x.mul(2);
        sd.identity("y", block.add(1));
        Map<String, INDArray> feed = Map.of("x", Nd4j.ones(DataType.FLOAT, 2, 4));
        int[] calls = new int[1];
        java.util.function.Function<java.util.List<org.nd4j.autodiff.listeners.Listener>, Map<String, INDArray>> call =
                listeners -> {
                    calls[0]++;
                    return sd.output(feed, listeners, "y");
                };
        BlockShapes wrong = new BlockShapes();
        wrong.expect(block, "block b8: x", BlockShapes.BATCH, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrong.run(call));
        assertTrue(e.getMessage().equals("block b8: x: shape [2, 4], expected [N, 5]"), e.getMessage());

        BlockShapes right = new BlockShapes();
        right.expect(block, "block b8: x", BlockShapes.BATCH, 4);
        Map<String, INDArray> out = right.run(call);
        assertEquals(java.util.Set.of("y"), out.keySet(), "only the asked output is fetched");
        assertEquals(3f, out.get("y").getFloat(0, 0));
        // checked once: a later pass runs without the listener (a wrong expectation now goes unnoticed)
        right.expect(x.mul(3), "block b16: x", BlockShapes.BATCH, 7);
        assertEquals(3f, right.run(call).get("y").getFloat(1, 3));
        assertEquals(3, calls[0]);

        BlockShapes unreached = new BlockShapes();
        unreached.expect(x.mul(4), "block b4: x", BlockShapes.BATCH, 4);
        e = assertThrows(IllegalStateException.class, () -> unreached.run(call));
        assertTrue(e.getMessage().startsWith("block b4: x: not computed"), e.getMessage());
    }
}
