package io.ukiyoe.graphs.mtcnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The box arithmetic of facenet-pytorch's {@code detect_face}, in float32 and in its exact order of
 * operations (the cascade's decisions depend on it). A box is a row {@code [x1, y1, x2, y2, score, ...]}.
 */
public final class Boxes {
    private Boxes() {}

    /**
     * torchvision {@code nms} ("Union"): by score descending (stable), areas {@code (x2-x1)*(y2-y1)},
     * suppress when IoU is strictly greater than the threshold. Indices in decreasing score order.
     */
    public static int[] nmsUnion(List<float[]> boxes, double threshold) {
        int n = boxes.size();
        Integer[] order = byScoreDescending(boxes);
        float[] area = new float[n];
        for (int i = 0; i < n; i++) {
            float[] b = boxes.get(i);
            area[i] = (b[2] - b[0]) * (b[3] - b[1]);
        }
        boolean[] suppressed = new boolean[n];
        int[] keep = new int[n];
        int k = 0;
        for (int a = 0; a < n; a++) {
            int i = order[a];
            if (suppressed[i]) {
                continue;
            }
            keep[k++] = i;
            float[] bi = boxes.get(i);
            for (int c = a + 1; c < n; c++) {
                int j = order[c];
                if (suppressed[j]) {
                    continue;
                }
                float[] bj = boxes.get(j);
                float w = Math.max(0f, Math.min(bi[2], bj[2]) - Math.max(bi[0], bj[0]));
                float h = Math.max(0f, Math.min(bi[3], bj[3]) - Math.max(bi[1], bj[1]));
                float inter = w * h;
                float iou = inter / (area[i] + area[j] - inter);
                if (iou > threshold) {
                    suppressed[j] = true;
                }
            }
        }
        return Arrays.copyOf(keep, k);
    }

    /**
     * detect_face's own numpy NMS with method 'Min' (the final stage): areas {@code (x2-x1+1)*(y2-y1+1)},
     * overlap = intersection / the smaller area; boxes stay while overlap {@code <=} the threshold.
     */
    public static int[] nmsMin(List<float[]> boxes, float threshold) {
        int n = boxes.size();
        float[] area = new float[n];
        for (int i = 0; i < n; i++) {
            float[] b = boxes.get(i);
            area[i] = (b[2] - b[0] + 1) * (b[3] - b[1] + 1);
        }
        Integer[] desc = byScoreDescending(boxes);
        List<Integer> remaining = new ArrayList<>();       // ascending score, as np.argsort; the best is last
        for (int a = n - 1; a >= 0; a--) {
            remaining.add(desc[a]);
        }
        List<Integer> pick = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int i = remaining.remove(remaining.size() - 1);
            pick.add(i);
            float[] bi = boxes.get(i);
            List<Integer> next = new ArrayList<>();
            for (int j : remaining) {
                float[] bj = boxes.get(j);
                float w = Math.max(0f, Math.min(bi[2], bj[2]) - Math.max(bi[0], bj[0]) + 1);
                float h = Math.max(0f, Math.min(bi[3], bj[3]) - Math.max(bi[1], bj[1]) + 1);
                float overlap = w * h / Math.min(area[i], area[j]);
                if (overlap <= threshold) {
                    next.add(j);
                }
            }
            remaining = next;
        }
        return pick.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Integer[] byScoreDescending(List<float[]> boxes) {
        Integer[] order = new Integer[boxes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> boxes.get(i)[4]).reversed());   // stable
        return order;
    }

    /** The rows at {@code idx}, in that order. */
    public static List<float[]> select(List<float[]> boxes, int[] idx) {
        List<float[]> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(boxes.get(i));
        }
        return out;
    }

    /** Stage 1's P-Net regression (widths without +1): {@code [x1, y1, x2, y2, score]} from a 9-column candidate. */
    public static float[] regressCandidate(float[] c) {
        float w = c[2] - c[0];
        float h = c[3] - c[1];
        return new float[] {c[0] + c[5] * w, c[1] + c[6] * h, c[2] + c[7] * w, c[3] + c[8] * h, c[4]};
    }

    /** {@code bbreg}: box regression with +1 widths; returns a new row (the score is kept). */
    public static float[] bbreg(float[] b, float[] reg) {
        float w = b[2] - b[0] + 1;
        float h = b[3] - b[1] + 1;
        float[] out = b.clone();
        out[0] = b[0] + reg[0] * w;
        out[1] = b[1] + reg[1] * h;
        out[2] = b[2] + reg[2] * w;
        out[3] = b[3] + reg[3] * h;
        return out;
    }

    /** {@code rerec}: the square on the longer side around the box's centre (no +1, no rounding). */
    public static float[] rerec(float[] b) {
        float h = b[3] - b[1];
        float w = b[2] - b[0];
        float l = Math.max(w, h);
        float[] out = b.clone();
        out[0] = b[0] + w * 0.5f - l * 0.5f;
        out[1] = b[1] + h * 0.5f - l * 0.5f;
        out[2] = out[0] + l;
        out[3] = out[1] + l;
        return out;
    }

    /**
     * {@code pad}: the part of the box inside a {@code width x height} image as 1-based inclusive
     * {@code [y, ey, x, ex]} (coordinates truncated toward zero, then clamped).
     */
    public static int[] pad(float[] b, int width, int height) {
        int x = Math.max((int) b[0], 1);
        int y = Math.max((int) b[1], 1);
        int ex = Math.min((int) b[2], width);
        int ey = Math.min((int) b[3], height);
        return new int[] {y, ey, x, ex};
    }
}
