package io.ukiyoe.graphs.nn;

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

    static INDArray npy(String name) {
        return Ops.array(Npy.read(Fixtures.file(name)));
    }

    /** max |a - b| <= 1e-4 * max(1, max |b|), the acceptance bound of the reference outputs. */
    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()),
                what + ": shape " + java.util.Arrays.toString(actual.shape()));
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        double tol = 1e-4 * Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(diff <= tol, what + ": max |diff| " + diff + " > " + tol);
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
}
