package io.ukiyoe.graphs.mtcnn;

import io.ukiyoe.graphs.runtime.SessionMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MTCNN face detection exactly as facenet-pytorch's {@code MTCNN.detect} / {@code detect_face}:
 * P-Net over an image pyramid (area resampling; candidates at {@code prob >= t0}; NMS 0.5 per level and
 * 0.7 across levels, 'Union'; regression; squaring), R-Net on 24x24 crops of the boxes' inside parts
 * ({@code prob > t1}; NMS 0.7; {@code bbreg}; squaring), O-Net on 48x48 crops ({@code prob > t2};
 * landmarks from the boxes before {@code bbreg}; NMS 0.7 'Min'), faces largest first.
 *
 * <p>Images of one size go through together: each pyramid level is one P-Net batch, and the crops of
 * all images one R-Net / O-Net batch. NMS runs per image (what torchvision's batched NMS computes).
 */
public final class Mtcnn {
    /** Crops per R-Net / O-Net call (facenet-pytorch's {@code fixed_batch_process} uses 512 too). */
    static final int CROP_BATCH = 512;

    private final PNet pnet;
    private final RNet rnet;
    private final ONet onet;
    private final MtcnnSettings settings;

    /** One face: box {@code [x1, y1, x2, y2]} (pixels, x = column), O-Net probability, five (x, y) points. */
    public record Face(float[] box, float probability, float[][] points) {}

    /** Receives the cascade's intermediate rows per image, under the fixture's names (for tests and debugging). */
    public interface Trace {
        Trace NONE = (image, stage, rows) -> {};

        void record(int image, String stage, List<float[]> rows);
    }

    public Mtcnn(MtcnnWeights weights, MtcnnSettings settings) {
        SessionMemory.install();      // pooled activations: each pyramid level reuses its buffers (P-Net twice as fast)
        this.pnet = new PNet(weights.pnet());
        this.rnet = new RNet(weights.rnet());
        this.onet = new ONet(weights.onet());
        this.settings = settings;
    }

    public MtcnnSettings settings() {
        return settings;
    }

    public List<List<Face>> detect(List<RgbPlanes> images) {
        return detect(images, Trace.NONE);
    }

    /** The faces of each image (largest box first); all images must have one size. */
    public List<List<Face>> detect(List<RgbPlanes> images, Trace trace) {
        if (images.isEmpty()) {
            return List.of();
        }
        int h = images.get(0).height();
        int w = images.get(0).width();
        for (RgbPlanes img : images) {
            if (img.height() != h || img.width() != w) {
                throw new IllegalArgumentException("a batch needs images of one size: " + w + "x" + h + " and "
                        + img.width() + "x" + img.height());
            }
        }
        return stage3(images, stage2(images, stage1(images, trace), trace), trace);
    }

    // ---- stage 1: P-Net over the pyramid ----------------------------------------------------------

    private List<List<float[]>> stage1(List<RgbPlanes> images, Trace trace) {
        int n = images.size();
        List<List<float[]>> candidates = lists(n);
        List<List<float[]>> survivors = lists(n);
        for (double scale : Pyramid.scales(images.get(0).height(), images.get(0).width(), settings.minFaceSize(),
                settings.factor())) {
            PNet.Maps maps = pnet.forward(Pyramid.levelInput(images, scale));
            float[] reg = floats(maps.reg());
            float[] prob = floats(maps.prob());
            int mh = (int) maps.prob().size(2);
            int mw = (int) maps.prob().size(3);
            for (int i = 0; i < n; i++) {
                List<float[]> level = generateBoundingBox(reg, prob, i, mh, mw, (float) scale, settings.thresholds()[0]);
                candidates.get(i).addAll(level);
                survivors.get(i).addAll(Boxes.select(level, Boxes.nmsUnion(level, 0.5)));
            }
        }
        List<List<float[]>> out = lists(n);
        for (int i = 0; i < n; i++) {
            trace.record(i, "s1_candidates", candidates.get(i));
            List<float[]> kept = Boxes.select(survivors.get(i), Boxes.nmsUnion(survivors.get(i), 0.7));
            trace.record(i, "s1_boxes_nms", kept);
            List<float[]> regressed = kept.stream().map(Boxes::regressCandidate).toList();
            trace.record(i, "s1_boxes_reg", regressed);
            List<float[]> square = regressed.stream().map(Boxes::rerec).toList();
            trace.record(i, "s1_boxes_rerec", square);
            out.get(i).addAll(square);
        }
        return out;
    }

    /**
     * Cells with {@code prob >= threshold} in row-major order as {@code [x1, y1, x2, y2, score, dx1, dy1,
     * dx2, dy2]}; corners from the cell index at stride 2 and cell size 12, divided in float32.
     */
    static List<float[]> generateBoundingBox(float[] reg, float[] prob, int image, int mh, int mw, float scale,
                                             float threshold) {
        List<float[]> out = new ArrayList<>();
        int plane = mh * mw;
        int probFace = (image * 2 + 1) * plane;
        int regBase = image * 4 * plane;
        for (int y = 0; y < mh; y++) {
            for (int x = 0; x < mw; x++) {
                int cell = y * mw + x;
                float p = prob[probFace + cell];
                if (p >= threshold) {
                    float bx = x;
                    float by = y;
                    out.add(new float[] {
                        (float) Math.floor((2 * bx + 1) / scale), (float) Math.floor((2 * by + 1) / scale),
                        (float) Math.floor((2 * bx + 12) / scale), (float) Math.floor((2 * by + 12) / scale),
                        p, reg[regBase + cell], reg[regBase + plane + cell], reg[regBase + 2 * plane + cell],
                        reg[regBase + 3 * plane + cell]});
                }
            }
        }
        return out;
    }

    // ---- stage 2: R-Net ----------------------------------------------------------------------------

    private List<List<float[]>> stage2(List<RgbPlanes> images, List<List<float[]>> boxes, Trace trace) {
        Crops crops = crop(images, boxes, RNet.SIZE, "s2_pad", trace);
        float[][] reg = new float[crops.count()][];
        float[][] prob = new float[crops.count()][];
        runBatched(crops, x -> {
            RNet.Out o = rnet.forward(x);
            return new INDArray[] {o.reg(), o.prob()};
        }, reg, prob);
        List<List<float[]>> out = lists(images.size());
        for (int i = 0; i < images.size(); i++) {
            List<float[]> passing = new ArrayList<>();
            List<float[]> passingReg = new ArrayList<>();
            for (int k : crops.rowsOf(i)) {
                float score = prob[k][1];
                if (score > settings.thresholds()[1]) {
                    float[] b = crops.boxes().get(k);
                    passing.add(new float[] {b[0], b[1], b[2], b[3], score});
                    passingReg.add(reg[k]);
                }
            }
            int[] keep = Boxes.nmsUnion(passing, 0.7);
            List<float[]> kept = Boxes.select(passing, keep);
            List<float[]> keptReg = Boxes.select(passingReg, keep);
            trace.record(i, "s2_boxes_nms", kept);
            List<float[]> moved = new ArrayList<>();
            for (int j = 0; j < kept.size(); j++) {
                moved.add(Boxes.bbreg(kept.get(j), keptReg.get(j)));
            }
            trace.record(i, "s2_boxes_bbreg", moved);
            List<float[]> square = moved.stream().map(Boxes::rerec).toList();
            trace.record(i, "s2_boxes_rerec", square);
            out.get(i).addAll(square);
        }
        return out;
    }

    // ---- stage 3: O-Net ----------------------------------------------------------------------------

    private List<List<Face>> stage3(List<RgbPlanes> images, List<List<float[]>> boxes, Trace trace) {
        Crops crops = crop(images, boxes, ONet.SIZE, "s3_pad", trace);
        float[][] reg = new float[crops.count()][];
        float[][] lm = new float[crops.count()][];
        float[][] prob = new float[crops.count()][];
        runBatched(crops, x -> {
            ONet.Out o = onet.forward(x);
            return new INDArray[] {o.reg(), o.landmarks(), o.prob()};
        }, reg, lm, prob);
        List<List<Face>> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<float[]> passing = new ArrayList<>();
            List<float[][]> points = new ArrayList<>();
            List<float[]> moved = new ArrayList<>();
            for (int k : crops.rowsOf(i)) {
                float score = prob[k][1];
                if (score > settings.thresholds()[2]) {
                    float[] b = crops.boxes().get(k);
                    float[] box = {b[0], b[1], b[2], b[3], score};
                    passing.add(box);
                    points.add(landmarks(box, lm[k]));
                    moved.add(Boxes.bbreg(box, reg[k]));
                }
            }
            trace.record(i, "s3_boxes_pass", passing);
            trace.record(i, "s3_boxes_bbreg", moved);
            int[] keep = Boxes.nmsMin(moved, 0.7f);
            List<float[]> finals = Boxes.select(moved, keep);
            trace.record(i, "s3_boxes_final", finals);
            List<Face> faces = new ArrayList<>();
            for (int j = 0; j < keep.length; j++) {
                float[] b = finals.get(j);
                faces.add(new Face(new float[] {b[0], b[1], b[2], b[3]}, b[4], points.get(keep[j])));
            }
            out.add(largestFirst(faces));
        }
        return out;
    }

    /** O-Net's relative landmarks on a box (+1 widths): {@code w * lm[k] + x1 - 1}, {@code h * lm[5 + k] + y1 - 1}. */
    public static float[][] landmarks(float[] box, float[] lm) {
        float w = box[2] - box[0] + 1;
        float h = box[3] - box[1] + 1;
        float[][] p = new float[5][];
        for (int k = 0; k < 5; k++) {
            p[k] = new float[] {w * lm[k] + box[0] - 1, h * lm[5 + k] + box[1] - 1};
        }
        return p;
    }

    /**
     * {@code MTCNN.detect(select_largest=True)}'s order: {@code np.argsort(area)[::-1]}, areas
     * {@code (x2-x1)*(y2-y1)} in float32 (equal areas: the later face first, as the reversed sort gives).
     */
    static List<Face> largestFirst(List<Face> faces) {
        List<Face> asc = new ArrayList<>(faces);
        asc.sort(Comparator.comparingDouble(f -> (f.box()[2] - f.box()[0]) * (f.box()[3] - f.box()[1])));
        java.util.Collections.reverse(asc);
        return asc;
    }

    // ---- crops -------------------------------------------------------------------------------------

    /** The crops of a stage: normalised pixels {@code [count, 3, size, size]}, the box and image of each row. */
    private record Crops(float[] pixels, int size, List<float[]> boxes, List<Integer> image) {
        int count() {
            return boxes.size();
        }

        List<Integer> rowsOf(int img) {
            List<Integer> rows = new ArrayList<>();
            for (int k = 0; k < image.size(); k++) {
                if (image.get(k) == img) {
                    rows.add(k);
                }
            }
            return rows;
        }
    }

    /** {@code pad} each box and area-resample the part inside the image; boxes entirely outside are dropped. */
    private static Crops crop(List<RgbPlanes> images, List<List<float[]>> boxes, int size, String stage, Trace trace) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<int[]> pads = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            RgbPlanes img = images.get(i);
            List<float[]> padRows = new ArrayList<>();
            for (float[] b : boxes.get(i)) {
                int[] p = Boxes.pad(b, img.width(), img.height());
                padRows.add(new float[] {p[0], p[1], p[2], p[3]});
                if (p[1] > p[0] - 1 && p[3] > p[2] - 1) {
                    rows.add(b);
                    owner.add(i);
                    pads.add(p);
                }
            }
            trace.record(i, stage, padRows);
        }
        int per = 3 * size * size;
        float[] pixels = new float[rows.size() * per];
        for (int k = 0; k < rows.size(); k++) {
            int[] p = pads.get(k);
            AreaResample.cropTo(images.get(owner.get(k)), p[0] - 1, p[1], p[2] - 1, p[3], size, size, pixels, k * per);
        }
        return new Crops(pixels, size, rows, owner);
    }

    /** Runs a network over the crops in chunks; each output's rows land in the matching {@code into} table. */
    private static void runBatched(Crops crops, Function<INDArray, INDArray[]> net, float[][]... into) {
        int per = 3 * crops.size() * crops.size();
        for (int from = 0; from < crops.count(); from += CROP_BATCH) {
            int n = Math.min(CROP_BATCH, crops.count() - from);
            float[] chunk = java.util.Arrays.copyOfRange(crops.pixels(), from * per, (from + n) * per);
            INDArray[] outs = net.apply(Nd4j.create(chunk, new long[] {n, 3, crops.size(), crops.size()}, 'c'));
            for (int o = 0; o < outs.length; o++) {
                float[] v = floats(outs[o]);
                int cols = (int) outs[o].size(1);
                for (int r = 0; r < n; r++) {
                    into[o][from + r] = java.util.Arrays.copyOfRange(v, r * cols, (r + 1) * cols);
                }
            }
        }
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static List<List<float[]>> lists(int n) {
        List<List<float[]>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        return out;
    }
}
