package io.ukiyoe.graphs.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SeedImagesTest {
    private static final StyleGanConfig CONFIG = StyleGanConfig.of(16, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6));

    @Test
    void zOfASeedIsNumpysRandomStateDraw() {
        // np.random.RandomState(14).randn(1, 4) printed by numpy 2.4
        INDArray z = SeedImages.z(List.of(3L, 14L), 4);
        float[] expected = {1.55133911f, 0.07918602f, 0.17397653f, -0.07233657f};
        assertArrayEquals(expected, NdArrays.floats(z.getRow(1)), 1e-6f);
        assertFalse(Arrays.equals(expected, NdArrays.floats(z.getRow(0))));
        assertEquals(List.of(0L, 1L, 2L), SeedImages.range(3));
    }

    @Test
    void anImageDependsOnItsSeedOnlyNotOnItsBatch() {
        Generator g = new Generator(Init.random(CONFIG, 3, false));
        List<float[]> inBatches = new ArrayList<>();
        SeedImages.generate(g, List.of(5L, 9L, 2L), 0.7, 2, inBatches::add);
        List<float[]> alone = new ArrayList<>();
        SeedImages.generate(g, List.of(9L), 0.7, 1, alone::add);
        assertEquals(3, inBatches.size());
        assertEquals(3 * 16 * 16, inBatches.get(1).length);
        assertArrayEquals(alone.get(0), inBatches.get(1), 1e-4f);
        INDArray all = SeedImages.images(g, List.of(5L, 9L, 2L), 0.7);
        assertArrayEquals(inBatches.get(2), NdArrays.floats(all.get(NDArrayIndex.point(2), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all())), 1e-4f);
        assertFalse(Arrays.equals(inBatches.get(0), inBatches.get(2)));
    }
}
