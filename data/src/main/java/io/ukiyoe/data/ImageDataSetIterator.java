package io.ukiyoe.data;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch of the dataset as an ND4J {@link DataSetIterator}: features [B, 3, R, R] in [-1, 1]
 * (no labels: GAN training needs none), in the (seed, epoch) order, corrupt files skipped; the last
 * batch may be smaller. {@link #reset()} starts the next epoch.
 */
public final class ImageDataSetIterator implements DataSetIterator {
    private final ImageDataset dataset;
    private final int batch;
    private final long seed;
    private long epoch;
    private ImageRecordReader current;
    private DataSetPreProcessor pre;

    public ImageDataSetIterator(ImageDataset dataset, int batch, long seed, long epoch) {
        this.dataset = dataset;
        this.batch = batch;
        this.seed = seed;
        this.epoch = epoch;
        this.current = new ImageRecordReader(dataset, seed, epoch);
    }

    @Override
    public boolean hasNext() {
        return current.hasNext();
    }

    @Override
    public DataSet next() {
        return next(batch);
    }

    @Override
    public DataSet next(int num) {
        List<INDArray> images = new ArrayList<>();
        while (images.size() < num && current.hasNext()) {
            images.add(((org.datavec.api.writable.NDArrayWritable) current.next().get(0)).get());
        }
        if (images.isEmpty()) {
            throw new NoSuchElementException();
        }
        DataSet ds = new DataSet(Nd4j.concat(0, images.toArray(INDArray[]::new)).castTo(DataType.FLOAT), null);
        if (pre != null) {
            pre.preProcess(ds);
        }
        return ds;
    }

    @Override
    public int inputColumns() {
        int r = dataset.options().resolution();
        return 3 * r * r;
    }

    @Override
    public int totalOutcomes() {
        return 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        epoch++;
        current = new ImageRecordReader(dataset, seed, epoch);
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.pre = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return pre;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
