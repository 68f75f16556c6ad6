package io.ukiyoe.training.cyclegan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CycleGAN's {@code ImagePool}: the discriminators see a mix of this step's fakes and up to
 * {@code size} fakes of earlier steps. Until the pool is full each fake is stored and passed through;
 * then each fake is, with probability 1/2, swapped for a random stored one (which it replaces), else
 * passed through. Size 0 passes every batch through unchanged.
 */
public final class ImagePool {
    private final int size;
    private final List<float[]> images = new ArrayList<>();

    public ImagePool(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("pool size must be >= 0, got " + size);
        }
        this.size = size;
    }

    /** The batch D is shown for this step's fakes {@code fakes} [N, C, H, W]; draws from {@code rnd}. */
    public INDArray query(INDArray fakes, Random rnd) {
        if (size == 0) {
            return fakes;
        }
        long n = fakes.size(0);
        int per = (int) (fakes.length() / n);
        float[] all = fakes.dup('c').data().asFloat();
        float[] out = new float[all.length];
        for (int i = 0; i < n; i++) {
            float[] image = Arrays.copyOfRange(all, i * per, (i + 1) * per);
            float[] shown = image;
            if (images.size() < size) {
                images.add(image);
            } else if (rnd.nextDouble() > 0.5) {
                int id = rnd.nextInt(size);
                shown = images.get(id);
                images.set(id, image);
            }
            System.arraycopy(shown, 0, out, i * per, per);
        }
        return Nd4j.create(out, fakes.shape(), DataType.FLOAT);
    }

    /** The stored images (copies), oldest slot first: a checkpoint saves them. */
    public List<float[]> contents() {
        return images.stream().map(float[]::clone).toList();
    }

    /** Continues with saved contents. */
    public void restore(List<float[]> saved) {
        if (saved.size() > size) {
            throw new IllegalArgumentException("saved pool holds " + saved.size() + " images, more than its size " + size);
        }
        images.clear();
        saved.forEach(a -> images.add(a.clone()));
    }
}
