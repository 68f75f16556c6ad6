package io.ukiyoe.graphs.mtcnn;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The three MTCNN state dicts as facenet-pytorch ships them ({@code pnet.pt}, {@code rnet.pt},
 * {@code onet.pt}: plain torch state dicts, legacy container), keyed as in the file
 * ({@code conv1.weight}, ...). Every expected key is checked for presence and shape on load, so a
 * wrong or truncated file is a one-line error rather than a failure deep inside a graph.
 */
public record MtcnnWeights(Map<String, Tensor> pnet, Map<String, Tensor> rnet, Map<String, Tensor> onet) {
    public static final List<String> FILES = List.of("pnet.pt", "rnet.pt", "onet.pt");

    /** facenet-pytorch's layer shapes, per network: key -> shape (torch layouts). */
    static final Map<String, long[]> PNET = shapes(
            "conv1", c(10, 3, 3), "prelu1", p(10), "conv2", c(16, 10, 3), "prelu2", p(16), "conv3", c(32, 16, 3),
            "prelu3", p(32), "conv4_1", c(2, 32, 1), "conv4_2", c(4, 32, 1));
    static final Map<String, long[]> RNET = shapes(
            "conv1", c(28, 3, 3), "prelu1", p(28), "conv2", c(48, 28, 3), "prelu2", p(48), "conv3", c(64, 48, 2),
            "prelu3", p(64), "dense4", d(128, 576), "prelu4", p(128), "dense5_1", d(2, 128), "dense5_2", d(4, 128));
    static final Map<String, long[]> ONET = shapes(
            "conv1", c(32, 3, 3), "prelu1", p(32), "conv2", c(64, 32, 3), "prelu2", p(64), "conv3", c(64, 64, 3),
            "prelu3", p(64), "conv4", c(128, 64, 2), "prelu4", p(128), "dense5", d(256, 1152), "prelu5", p(256),
            "dense6_1", d(2, 256), "dense6_2", d(4, 256), "dense6_3", d(10, 256));

    /**
     * Reads {@code pnet.pt}, {@code rnet.pt} and {@code onet.pt} from a folder, or the three from one
     * {@code ukiyoe.mtcnn} model file made by {@code ukiyoe import FOLDER}.
     */
    public static MtcnnWeights load(Path dir) {
        if (Files.isRegularFile(dir)) {
            return MtcnnFamily.weights(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": not a folder (--detector needs the folder holding " + String.join(", ", FILES)
                    + ", or the model file 'ukiyoe import' makes of it)");
        }
        List<String> missing = new ArrayList<>();
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new UserError(dir + ": missing " + String.join(", ", missing) + " (the MTCNN detector needs "
                    + String.join(", ", FILES) + ", the state dicts facenet-pytorch ships in facenet_pytorch/data/)");
        }
        return new MtcnnWeights(checked(dir.resolve("pnet.pt"), PNET), checked(dir.resolve("rnet.pt"), RNET),
                checked(dir.resolve("onet.pt"), ONET));
    }

    /** Whether a folder holds all three of facenet-pytorch's files (so 'ukiyoe import' takes it). */
    public static boolean isFolder(Path dir) {
        return Files.isDirectory(dir) && FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** Random weights of the right shapes (PyTorch-like uniform init, PReLU 0.25): for benchmarks. */
    public static MtcnnWeights random(long seed) {
        Random r = new Random(seed);
        return new MtcnnWeights(random(PNET, r), random(RNET, r), random(ONET, r));
    }

    private static Map<String, Tensor> checked(Path file, Map<String, long[]> expected) {
        Map<String, Tensor> sd = StateDicts.load(file);
        String problem = problem(sd, expected, file.getFileName().toString());
        if (problem != null) {
            throw new UserError(file + ": " + problem);
        }
        return sd;
    }

    /** What is wrong with one network's state dict (a missing key or a wrong shape), or null. */
    static String problem(Map<String, Tensor> sd, Map<String, long[]> expected, String what) {
        for (var e : expected.entrySet()) {
            Tensor t = sd.get(e.getKey());
            if (t == null) {
                return "no '" + e.getKey() + "' (not a facenet-pytorch " + what + " state dict; it has "
                        + String.join(", ", sd.keySet().stream().limit(4).toList()) + (sd.size() > 4 ? ", ..." : "") + ")";
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                return "'" + e.getKey() + "' has shape " + t.shapeString() + ", expected " + Arrays.toString(e.getValue());
            }
        }
        return null;
    }

    private static Map<String, Tensor> random(Map<String, long[]> shapes, Random r) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        long fanIn = 1;
        for (var e : shapes.entrySet()) {
            long[] s = e.getValue();
            float[] v = new float[Math.toIntExact(Tensor.numel(s))];
            if (e.getKey().startsWith("prelu")) {
                Arrays.fill(v, 0.25f);
            } else {
                if (e.getKey().endsWith(".weight")) {
                    fanIn = Tensor.numel(s) / s[0];
                }
                double bound = 1 / Math.sqrt(fanIn);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
                }
            }
            out.put(e.getKey(), new Tensor(s.clone(), v));
        }
        return out;
    }

    // ---- shape table helpers: a layer name expands to its weight (and bias) keys ----

    private record Layer(long[] weight, long[] bias) {}

    private static Layer c(long out, long in, long k) {
        return new Layer(new long[] {out, in, k, k}, new long[] {out});
    }

    private static Layer d(long out, long in) {
        return new Layer(new long[] {out, in}, new long[] {out});
    }

    private static Layer p(long channels) {
        return new Layer(new long[] {channels}, null);
    }

    private static Map<String, long[]> shapes(Object... nameLayer) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < nameLayer.length; i += 2) {
            Layer l = (Layer) nameLayer[i + 1];
            out.put(nameLayer[i] + ".weight", l.weight());
            if (l.bias() != null) {
                out.put(nameLayer[i] + ".bias", l.bias());
            }
        }
        return out;
    }
}
