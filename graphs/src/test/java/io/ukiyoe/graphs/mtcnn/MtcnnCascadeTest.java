package io.ukiyoe.graphs.mtcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The whole cascade against facenet-pytorch's recorded run on every fixture configuration in
 * ../shared/fixtures/mtcnn ({@code <config>_config.json}): pyramid inputs, every stage's boxes and
 * crop rectangles, and the final boxes, probabilities and landmarks (1e-3 px, probabilities 1e-4).
 */
class MtcnnCascadeTest {
    static final double PX = 1e-3;
    static final double PROB = 1e-4;

    static Stream<String> configs() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.file("mtcnn"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_config.json"))
                    .map(n -> n.substring(0, n.length() - "_config.json".length())).sorted().toList().stream();
        }
    }

    static Tensor fx(String config, String name) {
        return Npy.read(Fixtures.file("mtcnn/" + config + "_" + name + ".npy"));
    }

    /** The fixture image (uint8 [H, W, 3]) as planes. */
    static RgbPlanes image(String config) {
        Tensor t = fx(config, "image");
        int h = (int) t.shape()[0];
        int w = (int) t.shape()[1];
        float[] chw = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    chw[(c * h + y) * w + x] = t.data()[(y * w + x) * 3 + c];
                }
            }
        }
        return new RgbPlanes(h, w, chw);
    }

    static MtcnnSettings settings(JsonNode cfg) {
        JsonNode t = cfg.get("thresholds");
        return new MtcnnSettings(cfg.get("min_face_size").asInt(),
                new float[] {(float) t.get(0).asDouble(), (float) t.get(1).asDouble(), (float) t.get(2).asDouble()},
                cfg.get("factor").asDouble());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void pyramidLevelsAreTheReferenceInputs(String config) {
        JsonNode cfg = Fixtures.json("mtcnn/" + config + "_config.json");
        RgbPlanes img = image(config);
        MtcnnSettings s = settings(cfg);
        List<Double> scales = Pyramid.scales(img.height(), img.width(), s.minFaceSize(), s.factor());
        JsonNode pyr = cfg.get("pyramid");
        assertEquals(pyr.size(), scales.size(), "pyramid levels");
        for (int k = 0; k < scales.size(); k++) {
            assertEquals(pyr.get(k).get("scale").asDouble(), scales.get(k), 0.0, "scale of level " + k);
            Path stored = Fixtures.file("mtcnn/" + config + "_s1_pyr" + k + "_input.npy");
            if (Files.exists(stored)) {
                Tensor ref = Npy.read(stored);
                var mine = Pyramid.levelInput(List.of(img), scales.get(k));
                assertArrayEquals(ref.shape(), mine.shape(), "level " + k + " size");
                assertArrayEquals(ref.data(), mine.dup('c').data().asFloat(), 1e-6f, "level " + k + " pixels");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void everyStageAndTheFacesMatchTheReference(String config) {
        JsonNode cfg = Fixtures.json("mtcnn/" + config + "_config.json");
        Mtcnn mtcnn = new Mtcnn(MtcnnWeights.load(Fixtures.file("mtcnn")), settings(cfg));
        Map<String, List<float[]>> trace = new HashMap<>();
        List<List<Mtcnn.Face>> faces = mtcnn.detect(List.of(image(config)), (i, stage, rows) -> trace.put(stage, rows));

        for (String stage : List.of("s1_candidates", "s1_boxes_nms", "s1_boxes_reg", "s1_boxes_rerec", "s2_pad",
                "s2_boxes_nms", "s2_boxes_bbreg", "s2_boxes_rerec", "s3_pad", "s3_boxes_pass", "s3_boxes_bbreg",
                "s3_boxes_final")) {
            rows(config, stage, trace, 4);
        }

        Tensor boxes = fx(config, "detect_boxes");
        Tensor probs = fx(config, "detect_probs");
        Tensor points = fx(config, "detect_points");
        List<Mtcnn.Face> got = faces.get(0);
        int n = boxes.shape().length == 2 ? (int) boxes.shape()[0] : 0;
        assertEquals(n, got.size(), "number of faces");
        for (int f = 0; f < n; f++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(boxes.data()[f * 4 + c], got.get(f).box()[c], PX, "face " + f + " box " + c);
            }
            assertEquals(probs.data()[f], got.get(f).probability(), PROB, "face " + f + " probability");
            for (int k = 0; k < 5; k++) {
                for (int c = 0; c < 2; c++) {
                    assertEquals(points.data()[(f * 5 + k) * 2 + c], got.get(f).points()[k][c], PX,
                            "face " + f + " point " + k + (c == 0 ? " x" : " y"));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void aBatchGivesEachImageItsOwnFaces(String config) {
        JsonNode cfg = Fixtures.json("mtcnn/" + config + "_config.json");
        Mtcnn mtcnn = new Mtcnn(MtcnnWeights.load(Fixtures.file("mtcnn")), settings(cfg));
        RgbPlanes img = image(config);
        float[] flipped = new float[img.chw().length];
        for (int row = 0; row < 3 * img.height(); row++) {
            for (int x = 0; x < img.width(); x++) {
                flipped[row * img.width() + x] = img.chw()[row * img.width() + img.width() - 1 - x];
            }
        }
        RgbPlanes mirror = new RgbPlanes(img.height(), img.width(), flipped);
        List<List<Mtcnn.Face>> batch = mtcnn.detect(List.of(img, mirror, img));
        List<List<Mtcnn.Face>> alone = List.of(mtcnn.detect(List.of(img)).get(0), mtcnn.detect(List.of(mirror)).get(0),
                mtcnn.detect(List.of(img)).get(0));
        for (int i = 0; i < 3; i++) {
            assertEquals(alone.get(i).size(), batch.get(i).size(), "faces of image " + i);
            for (int f = 0; f < alone.get(i).size(); f++) {
                assertArrayEquals(alone.get(i).get(f).box(), batch.get(i).get(f).box(), 1e-4f, "image " + i + " face " + f);
            }
        }
        assertTrue(!batch.get(0).isEmpty(), "the fixture image has faces");
    }

    /** A recorded stage: same row count; the first {@code coords} columns to 1e-3 px, the rest (scores, regression) to 1e-4. */
    static void rows(String config, String stage, Map<String, List<float[]>> trace, int coords) {
        Tensor ref = fx(config, stage);
        List<float[]> got = trace.getOrDefault(stage, new ArrayList<>());
        int n = (int) ref.shape()[0];
        assertEquals(n, got.size(), stage + ": rows");
        int cols = n == 0 ? 0 : (int) ref.shape()[1];
        for (int r = 0; r < n; r++) {
            assertEquals(cols, got.get(r).length, stage + ": columns");
            for (int c = 0; c < cols; c++) {
                double tol = c < coords ? PX : PROB;
                float want = ref.data()[r * cols + c];
                assertTrue(Math.abs(want - got.get(r)[c]) <= tol,
                        stage + " row " + r + " column " + c + ": " + got.get(r)[c] + " vs reference " + want);
            }
        }
    }
}
