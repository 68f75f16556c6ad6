package io.ukiyoe.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dataset as a DataVec {@code RecordReader}: one record per image (corrupt files skipped), a
 * single {@link NDArrayWritable} [1, 3, R, R] in [-1, 1], in the order of one epoch for a seed.
 * The images come from the {@link ImageDataset} given at construction; {@code initialize} is a no-op.
 */
public final class ImageRecordReader extends org.datavec.api.records.reader.BaseRecordReader {
    private final ImageDataset dataset;
    private final int[] order;
    private int cursor;
    private float[] pending;
    private int pendingIndex = -1;

    public ImageRecordReader(ImageDataset dataset, long seed, long epoch) {
        this.dataset = dataset;
        this.order = dataset.order(seed, epoch);
    }

    @Override
    public void initialize(InputSplit split) {
        // the dataset was opened at construction
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        // the dataset was opened at construction
    }

    private boolean advance() {
        while (pending == null && cursor < order.length) {
            pendingIndex = order[cursor++];
            pending = dataset.load(pendingIndex);
        }
        return pending != null;
    }

    @Override
    public boolean hasNext() {
        return advance();
    }

    @Override
    public List<Writable> next() {
        return nextRecord().getRecord();
    }

    @Override
    public Record nextRecord() {
        if (!advance()) {
            throw new java.util.NoSuchElementException();
        }
        int res = dataset.options().resolution();
        List<Writable> rec = List.of(new NDArrayWritable(Nd4j.create(pending, new long[] {1, 3, res, res}, DataType.FLOAT)));
        RecordMetaData meta = new RecordMetaDataIndex(pendingIndex, dataset.source().path().toUri(), ImageRecordReader.class);
        pending = null;
        return new org.datavec.api.records.impl.Record(rec, meta);
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void reset() {
        cursor = 0;
        pending = null;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream in) throws IOException {
        java.awt.image.BufferedImage img = Decoder.decode(in.readAllBytes());
        if (img == null) {
            throw new IOException(uri + ": not a readable image");
        }
        int res = dataset.options().resolution();
        return List.of(new NDArrayWritable(Nd4j.create(Resample.toSquare(img, res, dataset.options().fit()),
                new long[] {1, 3, res, res}, DataType.FLOAT)));
    }

    @Override
    public Record loadFromMetaData(RecordMetaData meta) throws IOException {
        int index = (int) ((RecordMetaDataIndex) meta).getIndex();
        float[] img = dataset.load(index);
        if (img == null) {
            throw new IOException("image " + index + " is not readable");
        }
        int res = dataset.options().resolution();
        return new org.datavec.api.records.impl.Record(
                List.of(new NDArrayWritable(Nd4j.create(img, new long[] {1, 3, res, res}, DataType.FLOAT))), meta);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> metas) throws IOException {
        List<Record> out = new ArrayList<>();
        for (RecordMetaData m : metas) {
            out.add(loadFromMetaData(m));
        }
        return out;
    }

    private Configuration conf = new Configuration();

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    @Override
    public void close() {
        // the dataset is owned by the caller
    }
}
