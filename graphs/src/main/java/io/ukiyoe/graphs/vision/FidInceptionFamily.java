package io.ukiyoe.graphs.vision;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.NamedFamily;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pickle.StateDicts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pytorch-fid's FID Inception weights ({@code pt_inception-2015-12-05-6726825d.pth}, the state dict of
 * {@code fid_inception_v3()}) as a {@code ukiyoe.inception} model file. {@code num_batches_tracked}
 * buffers are dropped (eval never reads them; the real file may or may not have them); the unused
 * 1008-way {@code fc} is kept when present (the Inception Score's logits).
 */
public final class FidInceptionFamily extends NamedFamily {
    public static final String FORMAT = "ukiyoe.inception";
    public static final String VERSION = "1";
    /** The file pytorch-fid downloads and everyone passes around. */
    public static final String WEIGHTS_FILE = "pt_inception-2015-12-05-6726825d.pth";
    static final String CONFIG = "{\"network\":\"pytorch-fid FID InceptionV3\",\"input\":\"NCHW RGB in [0,1]\","
            + "\"resize\":299,\"bn_eps\":0.001,\"features\":2048}";
    /** TF's Inception has a background class: 1008 logits; torchvision's ImageNet Inception3 has 1000. */
    private static final long FID_CLASSES = 1008;

    public FidInceptionFamily() {
        super(FORMAT, VERSION, "FID Inception (pytorch-fid)");
    }

    @Override
    public boolean recognises(Map<String, Tensor> stateDict) {
        return stateDict.containsKey("Conv2d_1a_3x3.conv.weight") && stateDict.containsKey("Mixed_7c.branch_pool.conv.weight");
    }

    @Override
    public NetworkFile fromStateDict(Map<String, Tensor> stateDict) {
        Tensor fc = stateDict.get("fc.weight");
        if (fc != null && (fc.rank() != 2 || fc.shape()[0] != FID_CLASSES)) {
            throw new IllegalArgumentException("fc.weight is " + fc.shapeString() + ", not [1008, 2048]: torchvision's "
                    + "ImageNet Inception3, not pytorch-fid's FID Inception (" + WEIGHTS_FILE + ")");
        }
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            if (!k.endsWith("num_batches_tracked") && !k.startsWith("AuxLogits.")) {
                tensors.put(StateDicts.canonical(k), v);
            }
        });
        NetworkFile file = new NetworkFile(FORMAT, VERSION, CONFIG, tensors, new LinkedHashMap<>());
        new FidInception(file);   // builds the graph: every tensor present, every shape fits
        return file;
    }

    @Override
    public String describe(NetworkFile file) {
        long params = file.tensors().values().stream().mapToLong(Tensor::numel).sum();
        return displayName() + ", 2048-d pool3 features, " + String.format("%,d", params) + " parameters";
    }
}
