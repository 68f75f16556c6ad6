package io.ukiyoe.eval;

import io.ukiyoe.data.Resample;
import io.ukiyoe.data.Structure;
import io.ukiyoe.data.synth.SynthFace;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Structure preservation between two generators on the same latents and noise: correlation of the
 * luminance of low-passed images (16 and 32 px; colour is style, not structure), SSIM at 32 px, and on the synthetic face domains the pose
 * difference (yaw of B vs yaw of A, from a regressor trained on {@code data synth} labels).
 */
public final class Compare {
    private static final Map<Integer, YawRegressor> YAW = new ConcurrentHashMap<>();

    private Compare() {}

    public record Result(int images, double correlation16, double correlation32, double ssim32, double yawA, double yawB,
                         double yawDifference) {}

    /**
     * Images of both generators for the seeds (same latent and noise), compared pairwise; {@code progress}
     * hears how many of the 2 x seeds images are made.
     */
    public static Result run(Generator a, Generator b, List<Long> seeds, double psi, java.util.function.LongConsumer progress) {
        List<float[]> ia = new ArrayList<>();
        List<float[]> ib = new ArrayList<>();
        SeedImages.generate(a, seeds, psi, 8, img -> {
            ia.add(img);
            progress.accept(ia.size());
        });
        SeedImages.generate(b, seeds, psi, 8, img -> {
            ib.add(img);
            progress.accept(ia.size() + ib.size());
        });
        return compare(ia, ib, a.config().resolution());
    }

    public static Result compare(List<float[]> ia, List<float[]> ib, int res) {
        YawRegressor yaw = res >= 16 ? yawRegressor(res) : null; // pose needs at least 16 px
        double c16 = 0;
        double c32 = 0;
        double ssim = 0;
        double ya = 0;
        double yb = 0;
        double yd = 0;
        int n = ia.size();
        for (int i = 0; i < n; i++) {
            float[] a = ia.get(i);
            float[] b = ib.get(i);
            int s16 = Math.min(16, res);
            c16 += Structure.correlation(Structure.luminance(Structure.downsample(a, res, s16), s16),
                    Structure.luminance(Structure.downsample(b, res, s16), s16)) / n;
            int s32 = Math.min(32, res);
            float[] a32 = Structure.downsample(a, res, s32);
            float[] b32 = Structure.downsample(b, res, s32);
            c32 += Structure.correlation(Structure.luminance(a32, s32), Structure.luminance(b32, s32)) / n;
            ssim += Structure.ssim(a32, b32, s32) / n;
            double pa = yaw == null ? Double.NaN : yaw.predict(YawRegressor.features(a, res));
            double pb = yaw == null ? Double.NaN : yaw.predict(YawRegressor.features(b, res));
            ya += pa / n;
            yb += pb / n;
            yd += Math.abs(pb - pa) / n;
        }
        return new Result(n, c16, c32, ssim, ya, yb, yd);
    }

    /** A yaw regressor for images of this size, trained once per process on 2000 synthetic faces of both domains. */
    public static YawRegressor yawRegressor(int res) {
        return YAW.computeIfAbsent(res, r -> {
            int n = 2000;
            double[][] x = new double[n][];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                SynthFace.Domain d = i % 2 == 0 ? SynthFace.Domain.PHOTO : SynthFace.Domain.UKIYOE;
                SynthFace.Rendered f = SynthFace.render(d, Math.max(r, 16), SynthFace.imageSeed(20241125, i));
                x[i] = YawRegressor.features(Resample.toSquare(f.image(), r, Resample.Fit.CROP), r);
                y[i] = f.face().yaw();
            }
            return YawRegressor.fit(x, y, 1.0);
        });
    }
}
