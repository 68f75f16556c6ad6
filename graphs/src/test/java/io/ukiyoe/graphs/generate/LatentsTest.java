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

/** The rows of {@code ukiyoe generate}: names, noise-seed rules, and batches that change nothing. */
class LatentsTest {
    private static final StyleGanConfig CONFIG = StyleGanConfig.of(16, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6));
    private final Generator g = new Generator(Init.random(CONFIG, 4, false));

    @Test
    void seedsAreNamedAndSeedTheirNoiseFromTheOffset() {
        Generator.Truncation t = new Generator.Truncation(0.5, 4);
        Latents one = Latents.ofSeeds(g, List.of(7L, 42L, 3L), 100, t, null, 0, 1);
        Latents all = Latents.ofSeeds(g, List.of(7L, 42L, 3L), 100, t, null, 0, 3);
        assertEquals(List.of("seed0007", "seed0042", "seed0003"), one.names());
        assertArrayEquals(new long[] {107, 142, 103}, one.noiseSeeds());
        assertArrayEquals(NdArrays.floats(all.ws()), NdArrays.floats(one.ws()), 1e-5f);
        assertArrayEquals(new long[] {3, CONFIG.numWs(), CONFIG.wDim()}, one.ws().shape());
        assertArrayEquals(new long[3], one.forNoise(Generator.NoiseMode.CONST).noiseSeeds());
        assertArrayEquals(one.noiseSeeds(), one.forNoise(Generator.NoiseMode.RANDOM).noiseSeeds());
    }

    @Test
    void arraysAreNamedByRowAndMixingTakesTheLaterLayersFromTheSecondZ() {
        INDArray z = SeedImages.z(List.of(1L, 2L), CONFIG.zDim());
        INDArray z2 = SeedImages.z(List.of(5L, 6L), CONFIG.zDim());
        Latents mixed = Latents.ofZ(g, z, Generator.Truncation.NONE, z2, 2, 1);
        assertEquals(List.of("img0000", "img0001"), mixed.names());
        assertArrayEquals(new long[2], mixed.noiseSeeds());
        INDArray plain = Latents.ofZ(g, z, Generator.Truncation.NONE, null, 0, 2).ws();
        INDArray second = Latents.ofZ(g, z2, Generator.Truncation.NONE, null, 0, 2).ws();
        assertArrayEquals(NdArrays.floats(plain.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all())),
                NdArrays.floats(mixed.ws().get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all())), 1e-5f);
        assertArrayEquals(NdArrays.floats(second.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all())),
                NdArrays.floats(mixed.ws().get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all())), 1e-5f);
        assertEquals(List.of("img0000", "img0001"), Latents.ofWs(plain).names());
    }

    @Test
    void renderingInBatchesMatchesOneSeedImagesPass() throws Exception {
        List<Long> seeds = List.of(9L, 2L, 30L);
        Latents rows = Latents.ofSeeds(g, seeds, 0, Generator.Truncation.NONE, null, 0, 2);
        List<float[]> got = new ArrayList<>();
        List<Long> progress = new ArrayList<>();
        rows.render(g, Generator.NoiseMode.RANDOM, 2, (i, img) -> {
            assertEquals(got.size(), i);
            got.add(NdArrays.floats(img));
        }, progress::add);
        assertEquals(List.of(2L, 3L), progress);
        INDArray expected = SeedImages.images(g, seeds, 1.0);
        for (int i = 0; i < seeds.size(); i++) {
            assertArrayEquals(NdArrays.floats(expected.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all())), got.get(i), 1e-4f);
        }
        assertFalse(Arrays.equals(got.get(0), got.get(1)));
    }
}
