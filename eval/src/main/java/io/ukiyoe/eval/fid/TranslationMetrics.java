package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.NdArrays;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * FID and/or KID x1e3 of images {@code [n, 3, R, R]} in [-1, 1] (a student's translations) against
 * reference images of the same form (its targets), both quantised to 8 bits as generated images are
 * ({@link ImageFeatures#collect}); the reference's features are computed once while the same array
 * comes back, as it does at every snapshot of a run.
 */
public final class TranslationMetrics {
    private final ImageFeatures inception;
    private final List<String> which;
    private final int kidSubsets;
    private final int kidSubsetSize;
    private INDArray lastReference;
    private ReferenceFeatures reference;

    public TranslationMetrics(Path inception, int batch, List<String> which, int kidSubsets, int kidSubsetSize) {
        for (String w : which) {
            if (!w.equals(SnapshotMetrics.FID) && !w.equals(SnapshotMetrics.KID)) {
                throw new UserError("unknown metric '" + w + "' (known: fid, kid)");
            }
        }
        this.inception = ImageFeatures.of(inception, batch);
        this.which = List.copyOf(which);
        this.kidSubsets = kidSubsets;
        this.kidSubsetSize = kidSubsetSize;
    }

    /** {@code fid} and/or {@code kid_x1e3} of {@code images} against {@code references}. */
    public Map<String, Double> of(INDArray images, INDArray references) {
        if (references != lastReference) {
            reference = new ReferenceFeatures(features(references), kidSubsets, kidSubsetSize);
            lastReference = references;
        }
        INDArray f = features(images);
        Map<String, Double> out = new LinkedHashMap<>();
        if (which.contains(SnapshotMetrics.FID)) {
            out.put("fid", reference.fid(f));
        }
        if (which.contains(SnapshotMetrics.KID)) {
            out.put("kid_x1e3", reference.kidX1e3(f));
        }
        return out;
    }

    private INDArray features(INDArray images) {
        long[] s = images.shape();
        if (s.length != 4 || s[1] != 3 || s[2] != s[3] || s[0] < 2) {
            throw new UserError("FID and KID need at least 2 square RGB images [n, 3, R, R], got " + java.util.Arrays.toString(s));
        }
        ImageFeatures.Collected c = inception.collect((int) s[2]);
        for (long i = 0; i < s[0]; i++) {
            c.accept(NdArrays.floats(images.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all())));
        }
        return c.features();
    }
}
