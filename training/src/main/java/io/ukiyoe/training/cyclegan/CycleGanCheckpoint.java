package io.ukiyoe.training.cyclegan;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.graphs.model.CheckpointLayout;
import io.ukiyoe.training.Adam;
import io.ukiyoe.training.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CycleGAN training checkpoint ({@code checkpoint-<step>.safetensors}, format {@value #FORMAT}
 * v{@value #FORMAT_VERSION}): the four networks ({@code G_A/}, {@code G_B/}, {@code D_A/}, {@code D_B/}
 * before the canonical names), both Adam states ({@code adam_G.m/G_A/...}), both image pools
 * ({@code pool_A/0}, ...), and in the metadata the step, the random stream, both loaders' positions and
 * the run's resolved config. Written, listed, pruned and found as {@link Checkpoint} does it for
 * StyleGAN2 runs (atomic rename, the kill -9 test hook, newest readable first).
 */
public final class CycleGanCheckpoint {
    public static final String FORMAT = "ukiyoe.cyclegan_train_checkpoint";
    public static final String FORMAT_VERSION = "1";

    /** What a checkpoint holds besides the trainer's state. */
    public record Contents(CycleGanTrainer.State state, BatchLoader.Position loaderA, BatchLoader.Position loaderB,
                           String trainConfig) {}

    private CycleGanCheckpoint() {}

    public static void write(Path file, CycleGanTrainer.State st, BatchLoader.Position a, BatchLoader.Position b,
                             String trainConfig) {
        Map<String, Tensor> params = CycleGanTrainer.flat(st.nets());
        Map<String, Tensor> tensors = new LinkedHashMap<>(params);
        Checkpoint.moments(tensors, "adam_G", st.adamG(), params);
        Checkpoint.moments(tensors, "adam_D", st.adamD(), params);
        pool(tensors, "pool_A/", st.poolA());
        pool(tensors, "pool_B/", st.poolB());
        Map<String, String> meta = Checkpoint.ganMetadata(FORMAT, FORMAT_VERSION, st.step(), st.adamG(), st.adamD(), st.random());
        meta.put("loader_A", Checkpoint.position(a));
        meta.put("loader_B", Checkpoint.position(b));
        meta.put("train_config", trainConfig);
        Checkpoint.writeFile(file, tensors, meta);
    }

    /** Pool images are stored flat ({@code [C*H*W]}): the pool hands them back as it took them. */
    private static void pool(Map<String, Tensor> out, String prefix, List<float[]> images) {
        for (int i = 0; i < images.size(); i++) {
            out.put(prefix + i, new Tensor(new long[] {images.get(i).length}, images.get(i)));
        }
    }

    /** Reads and checks a checkpoint; any problem is a one-line error naming the file. */
    public static Contents read(Path file) {
        return Checkpoint.readChecked(file, FORMAT, FORMAT_VERSION, "CycleGAN training checkpoint", c -> {
            Map<String, String> meta = c.metadata();
            CycleGanNets nets = CycleGanNets.of(CycleGanTrainer.unflat(c.tensors()));
            Adam.State adamG = Checkpoint.adam(c.tensors(), "adam_G", Long.parseLong(meta.get("adam_G_steps")));
            Adam.State adamD = Checkpoint.adam(c.tensors(), "adam_D", Long.parseLong(meta.get("adam_D_steps")));
            CycleGanTrainer.State st = new CycleGanTrainer.State(Long.parseLong(meta.get("step")), nets.tensors(), adamG,
                    adamD, pool(c.tensors(), "pool_A/"), pool(c.tensors(), "pool_B/"),
                    Base64.getDecoder().decode(meta.get("random")));
            return new Contents(st, Checkpoint.position(meta.get("loader_A")), Checkpoint.position(meta.get("loader_B")),
                    Checkpoint.required(meta, "train_config"));
        });
    }

    private static List<float[]> pool(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> s = CheckpointLayout.section(all, prefix);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            Tensor t = s.get(Integer.toString(i));
            if (t == null) {
                throw new IllegalArgumentException(prefix + i + " missing");
            }
            out.add(t.data());
        }
        return out;
    }

    /** The newest checkpoint of a run folder that reads back whole (newer damaged ones noted via {@code warn}). */
    public static Optional<Map.Entry<Path, Contents>> latest(Path dir, java.util.function.Consumer<String> warn) {
        return Checkpoint.latest(dir, CycleGanCheckpoint::read, warn);
    }
}
