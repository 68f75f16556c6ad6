package io.ukiyoe.training.project;

import io.ukiyoe.graphs.vision.Lpips;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The projector's perceptual term: a graph piece comparing generated images with targets. */
public interface PerceptualLoss {
    /** The distance summed over the batch (projector.py's {@code percept(img_gen, imgs).sum()}), images [N, 3, H, W] in [-1, 1]. */
    SDVariable build(SameDiff sd, SDVariable images, SDVariable targets);

    /** What it is, for logs and the README's trace. */
    String describe();

    /**
     * Extra placeholder values that depend only on the target (features computed once per projection
     * rather than every step), by placeholder name; none by default.
     */
    default Map<String, INDArray> targetInputs(INDArray target) {
        return Map.of();
    }

    /**
     * LPIPS (net-lin, VGG16), as the references use. The target's normalised taps are placeholders fed
     * once per projection ({@link #targetInputs}): the VGG runs on the generated image only.
     */
    static PerceptualLoss lpips(Lpips lpips) {
        return new PerceptualLoss() {
            @Override
            public SDVariable build(SameDiff sd, SDVariable images, SDVariable targets) {
                List<SDVariable> taps = new ArrayList<>();
                int[] widths = lpips.tapWidths();
                for (int k = 0; k < widths.length; k++) {
                    taps.add(sd.placeHolder(tapInput(k), DataType.FLOAT, -1, widths[k], -1, -1));
                }
                SDVariable sum = null;
                for (SDVariable t : lpips.termsAgainst(sd, lpips.constants(sd), images, taps)) {
                    sum = sum == null ? t : sum.add(t);
                }
                return sum.sum();
            }

            @Override
            public Map<String, INDArray> targetInputs(INDArray target) {
                Map<String, INDArray> v = lpips.tapValues(target);
                Map<String, INDArray> out = new LinkedHashMap<>();
                for (int k = 0; k < Lpips.TAPS.length; k++) {
                    out.put(tapInput(k), v.get(Lpips.TAPS[k] + "_normalized"));
                }
                return out;
            }

            private static String tapInput(int k) {
                return "lpips_target_" + Lpips.TAPS[k];
            }

            @Override
            public String describe() {
                return "LPIPS (VGG16 net-lin)";
            }
        };
    }
}
