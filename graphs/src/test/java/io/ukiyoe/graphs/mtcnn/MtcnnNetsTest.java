package io.ukiyoe.graphs.mtcnn;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** P-Net, R-Net and O-Net against facenet-pytorch on the seeded-random fixture weights (../shared/fixtures/mtcnn). */
class MtcnnNetsTest {
    static MtcnnWeights weights;

    @BeforeAll
    static void load() {
        weights = MtcnnWeights.load(Fixtures.file("mtcnn"));
    }

    static INDArray fx(String name) {
        return Fixtures.npy("mtcnn/tiny_" + name + ".npy");
    }

    @Test
    void pnetMatchesReferenceOnStandAloneInputAndEveryPyramidLevel() {
        PNet pnet = new PNet(weights.pnet());
        PNet.Maps m = pnet.forward(fx("pnet_input"));
        assertClose(fx("pnet_reg"), m.reg(), "pnet reg");
        assertClose(fx("pnet_prob"), m.prob(), "pnet prob");
        for (int level = 0; level < 6; level++) {
            PNet.Maps l = pnet.forward(fx("s1_pyr" + level + "_input"));
            assertClose(fx("s1_pyr" + level + "_reg"), l.reg(), "pnet reg, level " + level);
            assertClose(fx("s1_pyr" + level + "_prob"), l.prob(), "pnet prob, level " + level);
        }
    }

    @Test
    void rnetMatchesReference() {
        RNet rnet = new RNet(weights.rnet());
        RNet.Out o = rnet.forward(fx("rnet_input"));
        assertClose(fx("rnet_reg"), o.reg(), "rnet reg");
        assertClose(fx("rnet_prob"), o.prob(), "rnet prob");
        RNet.Out s2 = rnet.forward(fx("s2_input"));
        assertClose(fx("s2_reg"), s2.reg(), "rnet reg on the cascade's crops");
        assertClose(fx("s2_prob"), s2.prob(), "rnet prob on the cascade's crops");
    }

    @Test
    void onetMatchesReference() {
        ONet onet = new ONet(weights.onet());
        ONet.Out o = onet.forward(fx("onet_input"));
        assertClose(fx("onet_reg"), o.reg(), "onet reg");
        assertClose(fx("onet_landmarks"), o.landmarks(), "onet landmarks");
        assertClose(fx("onet_prob"), o.prob(), "onet prob");
        ONet.Out s3 = onet.forward(fx("s3_input"));
        assertClose(fx("s3_reg"), s3.reg(), "onet reg on the cascade's crops");
        assertClose(fx("s3_landmarks_raw"), s3.landmarks(), "onet landmarks on the cascade's crops");
        assertClose(fx("s3_prob"), s3.prob(), "onet prob on the cascade's crops");
    }

    @Test
    void missingFilesAreNamed(@TempDir Path dir) throws Exception {
        Files.copy(Fixtures.file("mtcnn/pnet.pt"), dir.resolve("pnet.pt"));
        UserError e = assertThrows(UserError.class, () -> MtcnnWeights.load(dir));
        assertTrue(e.getMessage().contains("missing rnet.pt, onet.pt"), e.getMessage());
        Files.copy(Fixtures.file("mtcnn/pnet.pt"), dir.resolve("rnet.pt"));
        Files.copy(Fixtures.file("mtcnn/onet.pt"), dir.resolve("onet.pt"));
        UserError wrong = assertThrows(UserError.class, () -> MtcnnWeights.load(dir));
        assertTrue(wrong.getMessage().contains("rnet.pt") && wrong.getMessage().contains("conv1.weight"), wrong.getMessage());
    }
}
