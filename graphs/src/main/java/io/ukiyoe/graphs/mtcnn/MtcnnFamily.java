package io.ukiyoe.graphs.mtcnn;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NamedFamily;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MTCNN's three networks as one {@code ukiyoe.mtcnn} model file: {@code ukiyoe import DIR} of the folder
 * holding facenet-pytorch's {@code pnet.pt}, {@code rnet.pt} and {@code onet.pt} (or of one state dict
 * whose keys are theirs under {@code pnet.}, {@code rnet.}, {@code onet.}); tensors under
 * {@code pnet/conv1/weight}, ... The architecture is fixed, so the config only names it.
 */
public final class MtcnnFamily extends NamedFamily {
    public static final String FORMAT = "ukiyoe.mtcnn";
    public static final String VERSION = "1";
    static final List<String> NETS = List.of("pnet", "rnet", "onet");
    private static final String CONFIG = "{\"architecture\":\"facenet-pytorch MTCNN (P-Net, R-Net, O-Net)\"}";

    public MtcnnFamily() {
        super(FORMAT, VERSION, "MTCNN face detector");
    }

    @Override
    public boolean recognises(Map<String, Tensor> stateDict) {
        return NETS.stream().allMatch(n -> stateDict.containsKey(n + ".conv1.weight"));
    }

    @Override
    public NetworkFile fromStateDict(Map<String, Tensor> stateDict) {
        MtcnnWeights w = split(stateDict, ".");
        for (String key : stateDict.keySet()) {
            if (NETS.stream().noneMatch(n -> key.startsWith(n + "."))) {
                throw new IllegalArgumentException("'" + key + "' belongs to none of P-Net, R-Net, O-Net");
            }
        }
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        put(tensors, "pnet", w.pnet());
        put(tensors, "rnet", w.rnet());
        put(tensors, "onet", w.onet());
        return new NetworkFile(FORMAT, VERSION, CONFIG, tensors, new LinkedHashMap<>());
    }

    @Override
    public String describe(NetworkFile file) {
        long params = file.tensors().values().stream().mapToLong(Tensor::numel).sum();
        return String.format(Locale.ROOT, "MTCNN (P-Net, R-Net, O-Net), %,d params", params);
    }

    /** The folder of facenet-pytorch's three files as one model file; the source digest covers all three. */
    public static NetworkFile importFolder(Path dir) {
        MtcnnWeights w = MtcnnWeights.load(dir);
        LinkedHashMap<String, Tensor> merged = new LinkedHashMap<>();
        StringBuilder digests = new StringBuilder();
        for (String n : NETS) {
            Map<String, Tensor> sd = n.equals("pnet") ? w.pnet() : n.equals("rnet") ? w.rnet() : w.onet();
            sd.forEach((k, v) -> merged.put(n + "." + k, v));
            digests.append(n).append(".pt ").append(Hashing.sha256(dir.resolve(n + ".pt"))).append('\n');
        }
        NetworkFile f = new MtcnnFamily().fromStateDict(merged);
        f.metadata().put("imported_from", dir.getFileName() + "/{pnet,rnet,onet}.pt (facenet-pytorch MTCNN state dicts)");
        f.metadata().put("imported_sha256", Hashing.sha256(digests.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return f;
    }

    /** The three networks' weights from a {@code ukiyoe.mtcnn} model file; one-line errors naming the file otherwise. */
    static MtcnnWeights weights(Path file) {
        NetworkFile f = NetworkFile.read(file, FORMAT, VERSION);
        try {
            return split(f.tensors(), "/");
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }

    /** The state dict of each network (keys as facenet-pytorch's, with dots), every tensor checked. */
    private static MtcnnWeights split(Map<String, Tensor> all, String sep) {
        List<Map<String, long[]>> shapes = List.of(MtcnnWeights.PNET, MtcnnWeights.RNET, MtcnnWeights.ONET);
        List<Map<String, Tensor>> nets = new java.util.ArrayList<>();
        for (int i = 0; i < NETS.size(); i++) {
            String prefix = NETS.get(i) + sep;
            Map<String, Tensor> sd = new LinkedHashMap<>();
            all.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    sd.put(k.substring(prefix.length()).replace('/', '.'), v);
                }
            });
            String problem = MtcnnWeights.problem(sd, shapes.get(i), NETS.get(i));
            if (problem != null) {
                throw new IllegalArgumentException(NETS.get(i) + ": " + problem);
            }
            nets.add(sd);
        }
        return new MtcnnWeights(nets.get(0), nets.get(1), nets.get(2));
    }

    private static void put(LinkedHashMap<String, Tensor> out, String net, Map<String, Tensor> sd) {
        sd.forEach((k, v) -> out.put(net + "/" + StateDicts.canonical(k), v));
    }
}
