package io.ukiyoe.graphs.mtcnn;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** P-Net, R-Net and O-Net against facenet-pytorch on the seeded-random fixture weights (../shared/fixtures/mtcnn). */
class MtcnnNetsTest {
    static MtcnnWeights weights;

    @BeforeAll
    static void load() {
        weights = MtcnnWeights.load(Fixtures.file("mtcnn"));
    }

    static Stream<String> configs() throws IOException {
        return MtcnnCascadeTest.configs();
    }

    static INDArray fx(String config, String name) {
        return Fixtures.npy("mtcnn/" + config + "_" + name + ".npy");
    }

    @ParameterizedTest
    @MethodSource("configs")
    void pnetMatchesReferenceOnStandAloneInputAndEveryPyramidLevel(String config) {
        PNet pnet = new PNet(weights.pnet());
        PNet.Maps m = pnet.forward(fx(config, "pnet_input"));
        assertClose(fx(config, "pnet_reg"), m.reg(), "pnet reg");
        assertClose(fx(config, "pnet_prob"), m.prob(), "pnet prob");
        int levels = Fixtures.json("mtcnn/" + config + "_config.json").get("pyramid").size();
        for (int level = 0; level < levels; level++) {
            if (!Files.exists(Fixtures.file("mtcnn/" + config + "_s1_pyr" + level + "_input.npy"))) {
                continue;
            }
            PNet.Maps l = pnet.forward(fx(config, "s1_pyr" + level + "_input"));
            assertClose(fx(config, "s1_pyr" + level + "_reg"), l.reg(), "pnet reg, level " + level);
            assertClose(fx(config, "s1_pyr" + level + "_prob"), l.prob(), "pnet prob, level " + level);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void rnetMatchesReference(String config) {
        RNet rnet = new RNet(weights.rnet());
        RNet.Out o = rnet.forward(fx(config, "rnet_input"));
        assertClose(fx(config, "rnet_reg"), o.reg(), "rnet reg");
        assertClose(fx(config, "rnet_prob"), o.prob(), "rnet prob");
        RNet.Out s2 = rnet.forward(fx(config, "s2_input"));
        assertClose(fx(config, "s2_reg"), s2.reg(), "rnet reg on the cascade's crops");
        assertClose(fx(config, "s2_prob"), s2.prob(), "rnet prob on the cascade's crops");
    }

    @ParameterizedTest
    @MethodSource("configs")
    void onetMatchesReference(String config) {
        ONet onet = new ONet(weights.onet());
        ONet.Out o = onet.forward(fx(config, "onet_input"));
        assertClose(fx(config, "onet_reg"), o.reg(), "onet reg");
        assertClose(fx(config, "onet_landmarks"), o.landmarks(), "onet landmarks");
        assertClose(fx(config, "onet_prob"), o.prob(), "onet prob");
        ONet.Out s3 = onet.forward(fx(config, "s3_input"));
        assertClose(fx(config, "s3_reg"), s3.reg(), "onet reg on the cascade's crops");
        assertClose(fx(config, "s3_landmarks_raw"), s3.landmarks(), "onet landmarks on the cascade's crops");
        assertClose(fx(config, "s3_prob"), s3.prob(), "onet prob on the cascade's crops");
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
