package io.ukiyoe.graphs.vision;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.NdArrays;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.Ops;
import io.ukiyoe.graphs.pickle.Pickles;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The FID feature extractor: pytorch-fid's InceptionV3 with imported weights, images {@code [N, 3, H, W]}
 * in [0, 1] of any size to pool3 features {@code [N, 2048]}: resized to 299x299 on the host
 * ({@link BilinearResize}), then one SameDiff graph ({@link FidInceptionGraph}), in float32 as pytorch-fid.
 */
public final class FidInception {
    public static final int FEATURES = 2048;
    private static final String IMAGES = "images";

    private final SameDiff graph;

    public FidInception(NetworkFile file) {
        if (!FidInceptionFamily.FORMAT.equals(file.format())) {
            throw new IllegalArgumentException("not an inception model file: " + file.format());
        }
        graph = graph(file.tensorsView());   // also checks that every tensor is there and fits
    }

    /**
     * The network from {@code pt_inception-2015-12-05-6726825d.pth} (or any torch state dict of the same
     * layout) or from its imported {@code .safetensors}; a missing or wrong file is a one-line error.
     */
    public static FidInception load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new UserError((file == null ? "no Inception weights given" : file + ": no such file")
                    + ": pass pytorch-fid's FID Inception weights " + FidInceptionFamily.WEIGHTS_FILE
                    + " (or its 'ukiyoe import'ed .safetensors) with --inception");
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            NetworkFile f = NetworkFile.read(file, FidInceptionFamily.FORMAT, FidInceptionFamily.VERSION);
            return Pickles.orFail(file, () -> new FidInception(f));
        }
        LinkedHashMap<String, Tensor> stateDict = StateDicts.load(file);
        FidInceptionFamily family = new FidInceptionFamily();
        if (!family.recognises(stateDict)) {
            throw new UserError(file + ": not the FID Inception state dict (" + FidInceptionFamily.WEIGHTS_FILE
                    + "): no key Conv2d_1a_3x3.conv.weight / Mixed_7c.branch_pool.conv.weight (first keys: "
                    + String.join(", ", stateDict.keySet().stream().limit(3).toList()) + ")");
        }
        return new FidInception(Pickles.orFail(file, () -> family.fromStateDict(stateDict)));
    }

    /** pool3 features {@code [N, 2048]} of images {@code [N, 3, H, W]} in [0, 1]. */
    public INDArray features(INDArray images) {
        return activations(images, FidInceptionGraph.POOL3).get(FidInceptionGraph.POOL3);
    }

    /**
     * Named activations (the tap points of {@link FidInceptionGraph}: {@code input299}, {@code block0_maxpool1},
     * {@code block1_maxpool2}, {@code Mixed_5d}, {@code block2_Mixed_6e}, {@code Mixed_7c}, {@code pool3}).
     */
    public synchronized Map<String, INDArray> activations(INDArray images, String... taps) {
        long[] s = images.shape();
        if (s.length != 4 || s[1] != 3 || s[0] < 1) {
            throw new UserError("Inception input must be RGB images [N, 3, H, W], got " + Arrays.toString(s)
                    + (s.length == 4 && s[1] == 1 ? " (one channel: convert grayscale images to RGB)" : ""));
        }
        INDArray x = images.castTo(DataType.FLOAT);
        if (s[2] != FidInceptionGraph.SIZE || s[3] != FidInceptionGraph.SIZE) {
            int size = FidInceptionGraph.SIZE;
            float[] resized = BilinearResize.resize(NdArrays.floats(x), s[0] * 3, Math.toIntExact(s[2]),
                    Math.toIntExact(s[3]), size, size);
            x = Nd4j.create(resized, new long[] {s[0], 3, size, size}, DataType.FLOAT);
        }
        return graph.output(Map.of(IMAGES, x), taps);
    }

    private SameDiff graph(Map<String, Tensor> tensors) {
        SameDiff sd = Graphs.create();
        int size = FidInceptionGraph.SIZE;
        SDVariable in = sd.placeHolder(IMAGES, DataType.FLOAT, -1, 3, size, size);
        new FidInceptionGraph(sd, name -> {
            if (sd.hasVariable(name)) {
                return sd.getVariable(name);
            }
            Tensor value = tensors.get(name);
            if (value == null) {
                throw new IllegalArgumentException("missing tensor " + name.replace('/', '.'));
            }
            return sd.constant(name, Ops.array(value));
        }).build(in);
        return sd;
    }
}
