package io.ukiyoe.training;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.core.run.RunFolder;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A GAN run's per-step record: one {@code metrics.jsonl} line per step (step, epoch, learning rate,
 * every loss term, images/s) and, when asked, the same scalars as TensorBoard events ({@code Loss/...});
 * a loss that is not finite stops the run with {@link TrainJob#diverged}. Opening it for a resumed run
 * drops the lines and events after the checkpoint's step (they are computed again).
 */
public final class StepLog implements Closeable {
    private final RunFolder run;
    private final String command;
    private final Writer metrics;
    private final TensorBoardEvents tb;
    private final long first;
    private final long t0 = System.nanoTime();
    private String lastGood;

    /** {@code first}: the step the run starts after (0, or a checkpoint's); {@code command} is named in the stop message. */
    public StepLog(RunFolder run, long first, boolean tensorboard, String command) {
        this.run = run;
        this.command = command;
        this.first = first;
        Path file = run.resolve("metrics.jsonl");
        TrainJob.keepMetricsUpTo(file, first);
        try {
            this.metrics = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tensorboard) {
            TensorBoardEvents.truncateAfter(run.dir(), first);
        }
        this.tb = tensorboard ? new TensorBoardEvents(run.dir()) : null;
        this.lastGood = first == 0 ? null : Checkpoint.fileName(first);
    }

    /** Records that the checkpoint of {@code step} is complete (the stop message points to it). */
    public void checkpointed(long step) {
        lastGood = Checkpoint.fileName(step);
    }

    /** Step {@code step} (from 1) of {@code batch} images per step: stops the run on a non-finite loss, else writes it. */
    public void step(long step, long epoch, double lr, Map<String, Double> losses, int batch) {
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw TrainJob.diverged(run, step, e.getKey() + " " + e.getValue(), lastGood, command);
            }
        }
        double imagesPerS = (step - first) * batch / ((System.nanoTime() - t0) / 1e9);
        StringBuilder line = new StringBuilder("{\"step\":" + step);
        line.append(String.format(Locale.ROOT, ",\"epoch\":%d,\"lr\":%.6g", epoch, lr));
        losses.forEach((k, v) -> line.append(String.format(Locale.ROOT, ",\"%s\":%.6f", k, v)));
        line.append(String.format(Locale.ROOT, ",\"images_per_s\":%.2f}%n", imagesPerS));
        write(line.toString());
        if (tb != null) {
            Map<String, Double> scalars = new LinkedHashMap<>();
            losses.forEach((k, v) -> scalars.put("Loss/" + k, v));
            scalars.put("Progress/lr", lr);
            scalars.put("Progress/epoch", (double) epoch);
            scalars.put("Timing/images_per_s", imagesPerS);
            tb.scalars(step, scalars);
        }
    }

    /** Snapshot values at a step (e.g. held-out errors): a line of their own, and {@code Metrics/...} events. */
    public void snapshot(long step, Map<String, Double> values) {
        StringBuilder line = new StringBuilder("{\"step\":" + step);
        values.forEach((k, v) -> line.append(String.format(Locale.ROOT, ",\"%s\":%.6f", k, v)));
        write(line.append("}\n").toString());
        if (tb != null) {
            Map<String, Double> scalars = new LinkedHashMap<>();
            values.forEach((k, v) -> scalars.put("Metrics/" + k, v));
            tb.scalars(step, scalars);
        }
    }

    /** Stops the run if a network tensor is no longer finite ({@code what} names the network). */
    public void checkFinite(long step, String what, Map<String, Tensor> tensors) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            for (float v : e.getValue().data()) {
                if (!Float.isFinite(v)) {
                    throw TrainJob.diverged(run, step, what + " " + e.getKey() + " is not finite", lastGood, command);
                }
            }
        }
    }

    private void write(String line) {
        try {
            metrics.write(line);
            metrics.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            metrics.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tb != null) {
            tb.close();
        }
    }
}
