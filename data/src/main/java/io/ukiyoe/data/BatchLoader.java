package io.ukiyoe.data;

import io.ukiyoe.core.UserError;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An endless, deterministic stream of batches [B, 3, R, R] over epochs, decoded on a background
 * thread into a bounded queue so the consumer (a training step) does not wait on decoding. The
 * order depends only on (seed, epoch); {@link #position()} tells where the next batch starts, and a
 * loader created at that position continues the same stream (exact resume).
 */
public final class BatchLoader implements AutoCloseable {
    /** Where a batch starts: epoch and index within that epoch's order. */
    public record Position(long epoch, int index) {}

    private record Batch(float[] data, Position next) {}

    private final ImageDataset dataset;
    private final int batch;
    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private volatile boolean stopped;
    private Position position;

    public BatchLoader(ImageDataset dataset, int batch, long seed, Position start, int prefetch) {
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
            int res = dataset.options().resolution();
            int per = 3 * res * res;
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
                            throw new UserError(dataset.source().path() + ": none of the " + dataset.files()
                                    + " files is a readable image");
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
        int res = dataset.options().resolution();
        return Nd4j.create(b.data(), new long[] {batch, 3, res, res}, DataType.FLOAT);
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
