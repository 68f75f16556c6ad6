package io.ukiyoe.data;

import io.ukiyoe.core.UserError;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An endless, deterministic stream of batches [B, C, H, W] over epochs, decoded on a background
 * thread into a bounded queue so the consumer (a training step) does not wait on decoding. The
 * order depends only on (seed, epoch); {@link #position()} tells where the next batch starts, and a
 * loader created at that position continues the same stream (exact resume).
 */
public final class BatchLoader implements AutoCloseable {
    /** Where a batch starts: epoch and index within that epoch's order. */
    public record Position(long epoch, int index) {}

    /** What a loader reads: samples of one shape, visited in a per-epoch order ({@link ImageDataset}, {@link PairDataset}). */
    public interface Source {
        /** Samples per epoch. */
        int size();

        /** The visiting order of an epoch: a permutation of {@code 0..size()-1} that depends only on (seed, epoch). */
        int[] order(long seed, long epoch);

        /** Sample {@code index} as {@code sampleShape()} floats, or null when it cannot be read (skipped). */
        float[] load(int index);

        /** [C, H, W] of every sample. */
        long[] sampleShape();

        /** The one-line error when no sample at all can be read. */
        String unreadable();
    }

    private record Batch(float[] data, Position next) {}

    private final Source dataset;
    private final int batch;
    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private volatile boolean stopped;
    private Position position;

    public BatchLoader(Source dataset, int batch, long seed, Position start, int prefetch) {
        if (batch <= 0 || prefetch <= 0) {
            throw new IllegalArgumentException("batch and prefetch must be positive");
        }
        this.dataset = dataset;
        this.batch = batch;
        this.position = start;
        this.queue = new ArrayBlockingQueue<>(prefetch);
        this.worker = new Thread(() -> produce(seed, start), "ukiyoe-data-loader");
        worker.setDaemon(true);
        worker.start();
    }

    private void produce(long seed, Position start) {
        try {
            long epoch = start.epoch();
            int index = start.index();
            int[] order = dataset.order(seed, epoch);
            long[] shape = dataset.sampleShape();
            int per = (int) (shape[0] * shape[1] * shape[2]);
            int emptyRun = 0;
            while (!stopped) {
                float[] data = new float[batch * per];
                int filled = 0;
                while (filled < batch) {
                    if (index >= order.length) {
                        epoch++;
                        index = 0;
                        order = dataset.order(seed, epoch);
                    }
                    float[] img = dataset.load(order[index++]);
                    if (img == null) {
                        if (++emptyRun > dataset.size()) {
                            throw new UserError(dataset.unreadable());
                        }
                        continue;
                    }
                    emptyRun = 0;
                    System.arraycopy(img, 0, data, filled * per, per);
                    filled++;
                }
                queue.put(new Batch(data, new Position(epoch, index)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                queue.put(e);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The next batch (blocks only if decoding is slower than the consumer). */
    public INDArray next() {
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        Batch b = (Batch) o;
        position = b.next();
        long[] shape = dataset.sampleShape();
        return Nd4j.create(b.data(), new long[] {batch, shape[0], shape[1], shape[2]}, DataType.FLOAT);
    }

    /** Where the batch after the last one returned starts. */
    public Position position() {
        return position;
    }

    @Override
    public void close() {
        stopped = true;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
