package io.ukiyoe.graphs.stylegan2;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static io.ukiyoe.graphs.Fixtures.npy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class GeneratorFixturesTest {
    static StyleGanModel ros;
    static Generator g;

    @BeforeAll
    static void load() {
        ros = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        g = new Generator(ros);
    }

    @Test
    void mappingMatchesRosinality() {
        assertClose(npy("rosinality_tiny_w.npy"), g.mapping(npy("rosinality_tiny_z.npy")), "w");
    }

    @Test
    void imagesMatchRosinalityAtTruncation1() {
        INDArray ws = g.ws(npy("rosinality_tiny_z.npy"), Generator.Truncation.NONE, null, 0);
        assertClose(npy("rosinality_tiny_latent_trunc1.npy"), ws, "ws");
        assertClose(npy("rosinality_tiny_img_trunc1.npy"), g.synthesis(ws, Generator.NoiseMode.CONST, 1), "img");
    }

    @Test
    void truncationAndMixingMatchRosinality() {
        INDArray z = npy("rosinality_tiny_z.npy");
        INDArray ws07 = g.ws(z, new Generator.Truncation(0.7, null), null, 0);
        assertClose(npy("rosinality_tiny_latent_trunc07.npy"), ws07, "ws 0.7");
        assertClose(npy("rosinality_tiny_img_trunc07.npy"), g.synthesis(ws07, Generator.NoiseMode.CONST, 1), "img 0.7");
        INDArray mix = g.ws(z, Generator.Truncation.NONE, npy("rosinality_tiny_z2.npy"), 3);
        assertClose(npy("rosinality_tiny_latent_mix.npy"), mix, "ws mix");
        assertClose(npy("rosinality_tiny_img_mix.npy"), g.synthesis(mix, Generator.NoiseMode.CONST, 1), "img mix");
    }

    @Test
    void adaSnapshotReproducesGEmaNotG() {
        StyleGanModel ada = Importer.importFile(Fixtures.file("ada_tiny_snapshot.pkl"), Importer.Format.AUTO);
        Generator ga = new Generator(ada);
        INDArray z = npy("ada_tiny_z.npy");
        INDArray ws1 = ga.ws(z, Generator.Truncation.NONE, null, 0);
        assertClose(npy("ada_tiny_ws_psi1.npy"), ws1, "ada ws");
        INDArray img1 = ga.synthesis(ws1, Generator.NoiseMode.CONST, 1);
        assertClose(npy("ada_tiny_img_psi1.npy"), img1, "ada img");
        INDArray ws07 = ga.ws(z, new Generator.Truncation(0.7, null), null, 0);
        assertClose(npy("ada_tiny_ws_psi07.npy"), ws07, "ada ws 0.7");
        assertClose(npy("ada_tiny_img_psi07.npy"), ga.synthesis(ws07, Generator.NoiseMode.CONST, 1), "ada img 0.7");
        double fromG = npy("ada_tiny_img_psi1_G.npy").sub(img1).amaxNumber().doubleValue();
        assertTrue(fromG > 0.1, "the import must read G_ema, not G (diff to G output " + fromG + ")");
    }

    @Test
    void truncationCutoffOnlyTouchesTheFirstLayers() {
        INDArray z = npy("rosinality_tiny_z.npy");
        INDArray full = g.ws(z, new Generator.Truncation(0.7, null), null, 0);
        INDArray cut = g.ws(z, new Generator.Truncation(0.7, 3), null, 0);
        INDArray none = g.ws(z, Generator.Truncation.NONE, null, 0);
        var all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        for (int i = 0; i < 8; i++) {
            var layer = org.nd4j.linalg.indexing.NDArrayIndex.point(i);
            INDArray expect = (i < 3 ? full : none).get(all, layer, all);
            assertClose(expect, cut.get(all, layer, all), "layer " + i);
        }
    }

    @Test
    void noiseModesDifferAndRandomNoiseIsRepeatable() {
        INDArray ws = g.ws(npy("rosinality_tiny_z.npy").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2),
                org.nd4j.linalg.indexing.NDArrayIndex.all()), Generator.Truncation.NONE, null, 0);
        INDArray constant = g.synthesis(ws, Generator.NoiseMode.CONST, 5);
        INDArray r1 = g.synthesis(ws, Generator.NoiseMode.RANDOM, 5);
        INDArray r2 = g.synthesis(ws, Generator.NoiseMode.RANDOM, 5);
        INDArray r3 = g.synthesis(ws, Generator.NoiseMode.RANDOM, 6);
        INDArray none = g.synthesis(ws, Generator.NoiseMode.NONE, 5);
        assertTrue(r1.equals(r2), "same seed, same noise");
        assertTrue(r1.sub(r3).amaxNumber().doubleValue() > 1e-3);
        assertTrue(constant.sub(none).amaxNumber().doubleValue() > 1e-3);
        assertTrue(constant.sub(r1).amaxNumber().doubleValue() > 1e-3);
    }
}
