package io.ukiyoe.swap;

import io.ukiyoe.data.Images;
import io.ukiyoe.data.VideoWriter;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The three videos of the seed article: a latent walk through seeds, whole-model weight averaging
 * (alpha 0 -> 1), and layer swapping (more and more layers from the base). Every frame of the
 * model videos shows the same seeds, side by side, with the same latents and noise.
 */
public final class Videos {
    private Videos() {}

    /** Frame layout and rendering settings shared by the videos. */
    public record Settings(int width, double truncation, Generator.NoiseMode noise) {}

    /**
     * A loop through the seeds' latents: {@code framesPerSeed} frames from each seed to the next, the
     * last back to the first. In W the per-seed w are lerped (then truncated); in Z the z are slerped.
     */
    public static void latentWalk(StyleGanModel m, List<Long> seeds, int framesPerSeed, boolean slerpInZ, Settings s,
                                  VideoWriter out, IntConsumer progress) throws IOException {
        Generator g = new Generator(m);
        INDArray z = SeedImages.z(seeds, m.config().zDim());
        INDArray w = g.mapping(z);
        int n = seeds.size();
        int frame = 0;
        for (int k = 0; k < n; k++) {
            int next = (k + 1) % n;
            for (int f = 0; f < framesPerSeed; f++) {
                double t = f / (double) framesPerSeed;
                INDArray ws;
                if (slerpInZ) {
                    INDArray zt = slerp(row(z, k), row(z, next), t);
                    ws = g.ws(zt, new Generator.Truncation(s.truncation(), null), null, 0);
                } else {
                    INDArray wt = row(w, k).mul(1 - t).addi(row(w, next).mul(t));
                    ws = g.truncate(g.broadcast(wt), new Generator.Truncation(s.truncation(), null));
                }
                INDArray img = g.synthesis(ws, s.noise(), new long[] {0});
                out.add(VideoWriter.scaleToWidth(Images.toImage(img.get(NDArrayIndex.point(0), NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.all())), s.width()));
                progress.accept(++frame);
            }
        }
    }

    /** Uniform alpha from 0 (base) to 1 (target) over {@code frames} frames, mapping and w_avg blended too. */
    public static void weights(StyleGanModel base, StyleGanModel target, List<Long> seeds, int frames, Settings s,
                               VideoWriter out, IntConsumer progress) throws IOException {
        INDArray z = SeedImages.z(seeds, base.config().zDim());
        for (int f = 0; f < frames; f++) {
            double a = frames == 1 ? 1 : f / (double) (frames - 1);
            BlendOptions o = new BlendOptions(new Schedule.Uniform(a), BlendOptions.Source.BLEND, null,
                    BlendOptions.Side.BASE, BlendOptions.DiscriminatorChoice.DROP, Map.of());
            out.add(row(Blender.blend(base, target, o, Map.of()).model(), z, seeds, s));
            progress.accept(f + 1);
        }
    }

    /**
     * Layer swapping: first every layer from the target, then the base takes over one resolution at a
     * time from 4 px up ({@code framesPerStep} frames each); with {@code smooth}, a sigmoid centre
     * (width 1 position) slides continuously over the same range in {@code framesPerStep} frames per
     * resolution.
     */
    public static void swap(StyleGanModel base, StyleGanModel target, List<Long> seeds, int framesPerStep, boolean smooth,
                            Settings s, VideoWriter out, IntConsumer progress) throws IOException {
        INDArray z = SeedImages.z(seeds, base.config().zDim());
        List<Integer> res = Schedule.resolutions(base.config().resolution());
        BlendOptions o = new BlendOptions(new Schedule.Swap(4), BlendOptions.Source.BASE, null, BlendOptions.Side.BASE,
                BlendOptions.DiscriminatorChoice.DROP, Map.of());
        int frame = 0;
        if (!smooth) {
            // step 0: nothing from the base; step i: resolutions <= res[i-1] from the base
            for (int step = 0; step <= res.size(); step++) {
                int last = step == 0 ? 0 : res.get(step - 1);
                BufferedImage img = row(Blender.blend(base, target, o, at -> at.resolution() <= last ? 0 : 1, Map.of())
                        .model(), z, seeds, s);
                for (int f = 0; f < framesPerStep; f++) {
                    out.add(img);
                    progress.accept(++frame);
                }
            }
            return;
        }
        double from = -1.5;
        double to = Schedule.position(base.config().resolution(), 1) + 1.5;
        int total = framesPerStep * (res.size() + 1);
        for (int f = 0; f < total; f++) {
            double centre = from + (to - from) * f / Math.max(1, total - 1);
            out.add(row(Blender.blend(base, target, o, at -> 1 / (1 + Math.exp(-(at.position() - centre))), Map.of())
                    .model(), z, seeds, s));
            progress.accept(++frame);
        }
    }

    /** Frames in a swap video: (resolutions + 1) steps of framesPerStep. */
    public static int swapFrames(StyleGanModel base, int framesPerStep) {
        return framesPerStep * (Schedule.resolutions(base.config().resolution()).size() + 1);
    }

    /** The seeds' images from one model, side by side, scaled to the frame width. */
    private static BufferedImage row(StyleGanModel m, INDArray z, List<Long> seeds, Settings s) {
        Generator g = new Generator(m);
        long[] noise = seeds.stream().mapToLong(Long::longValue).toArray();
        INDArray img = g.synthesis(g.ws(z, new Generator.Truncation(s.truncation(), null), null, 0), s.noise(), noise);
        List<BufferedImage> cells = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            cells.add(Images.toImage(img.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all())));
        }
        return VideoWriter.scaleToWidth(Images.grid(cells, cells.size(), null), s.width() * seeds.size());
    }

    private static INDArray row(INDArray a, int i) {
        return a.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
    }

    /** Spherical interpolation between two row vectors (falls back to lerp when they are parallel). */
    static INDArray slerp(INDArray a, INDArray b, double t) {
        double na = a.norm2Number().doubleValue();
        double nb = b.norm2Number().doubleValue();
        double cos = a.mul(b).sumNumber().doubleValue() / (na * nb);
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        if (omega < 1e-6) {
            return a.mul(1 - t).addi(b.mul(t));
        }
        double so = Math.sin(omega);
        return a.mul(Math.sin((1 - t) * omega) / so).addi(b.mul(Math.sin(t * omega) / so));
    }
}
