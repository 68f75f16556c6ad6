package io.ukiyoe.training.distill;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.data.BatchLoader;
import io.ukiyoe.graphs.model.CheckpointLayout;
import io.ukiyoe.graphs.pix2pixhd.DiscriminatorConfig;
import io.ukiyoe.graphs.pix2pixhd.GeneratorConfig;
import io.ukiyoe.training.Adam;
import io.ukiyoe.training.Checkpoint;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A distillation checkpoint ({@code checkpoint-<step>.safetensors}, format {@value #FORMAT}
 * v{@value #FORMAT_VERSION}): the student G and the discriminator ({@code G/}, {@code D/} before the
 * canonical names), both Adam states ({@code adam_G.m/...}), and in the metadata the step, the random
 * stream, the loader's position and the run's resolved config. The architectures are read back from
 * the tensors' shapes. Written, listed, pruned and found as {@link Checkpoint} does it (atomic rename,
 * the kill -9 test hook, newest readable first).
 */
public final class DistillCheckpoint {
    public static final String FORMAT = "ukiyoe.distill_train_checkpoint";
    public static final String FORMAT_VERSION = "1";

    /** What a checkpoint holds: the trainer's state and architectures, where the loader stands, the run's config. */
    public record Contents(GeneratorConfig g, DiscriminatorConfig d, DistillTrainer.State state, BatchLoader.Position loader,
                           String trainConfig) {}

    private DistillCheckpoint() {}

    public static void write(Path file, DistillTrainer.State st, BatchLoader.Position loader, String trainConfig) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        CheckpointLayout.put(tensors, CheckpointLayout.G, st.g());
        CheckpointLayout.put(tensors, CheckpointLayout.D, st.d());
        Checkpoint.moments(tensors, "adam_G", st.adamG(), st.g());
        Checkpoint.moments(tensors, "adam_D", st.adamD(), st.d());
        Map<String, String> meta = Checkpoint.ganMetadata(FORMAT, FORMAT_VERSION, st.step(), st.adamG(), st.adamD(), st.random());
        meta.put("loader", Checkpoint.position(loader));
        meta.put("train_config", trainConfig);
        Checkpoint.writeFile(file, tensors, meta);
    }

    /** Reads and checks a checkpoint; any problem is a one-line error naming the file. */
    public static Contents read(Path file) {
        return Checkpoint.readChecked(file, FORMAT, FORMAT_VERSION, "distillation training checkpoint", c -> {
            Map<String, String> meta = c.metadata();
            Map<String, Tensor> g = CheckpointLayout.section(c.tensors(), CheckpointLayout.G);
            Map<String, Tensor> d = CheckpointLayout.section(c.tensors(), CheckpointLayout.D);
            GeneratorConfig gc = GeneratorConfig.infer(g);
            DiscriminatorConfig dc = DiscriminatorConfig.infer(d);
            Adam.State adamG = Checkpoint.adam(c.tensors(), "adam_G", Long.parseLong(Checkpoint.required(meta, "adam_G_steps")));
            Adam.State adamD = Checkpoint.adam(c.tensors(), "adam_D", Long.parseLong(Checkpoint.required(meta, "adam_D_steps")));
            DistillTrainer.State st = new DistillTrainer.State(Long.parseLong(Checkpoint.required(meta, "step")), g, d, adamG,
                    adamD, Base64.getDecoder().decode(Checkpoint.required(meta, "random")));
            return new Contents(gc, dc, st, Checkpoint.position(Checkpoint.required(meta, "loader")),
                    Checkpoint.required(meta, "train_config"));
        });
    }

    /** The newest checkpoint of a run folder that reads back whole (newer damaged ones noted via {@code warn}). */
    public static Optional<Map.Entry<Path, Contents>> latest(Path dir, Consumer<String> warn) {
        return Checkpoint.latest(dir, DistillCheckpoint::read, warn);
    }
}
