package io.ukiyoe.core.io;

import java.util.Arrays;

/**
 * A dense float32 array in C order with its shape: how model files, checkpoints and npy files hold
 * weights before they become ND4J arrays. Shape [] is a scalar.
 */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static Tensor zeros(long... shape) {
        return new Tensor(shape.clone(), new float[Math.toIntExact(numel(shape))]);
    }

    public static Tensor scalar(float v) {
        return new Tensor(new long[0], new float[] {v});
    }

    public long numel() {
        return data.length;
    }

    public int rank() {
        return shape.length;
    }

    /** The same values under another shape with as many elements. */
    public Tensor reshape(long... newShape) {
        return new Tensor(newShape.clone(), data);
    }

    public double sum() {
        double s = 0;
        for (float v : data) {
            s += v;
        }
        return s;
    }

    public double sumSquares() {
        double s = 0;
        for (float v : data) {
            s += (double) v * v;
        }
        return s;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}
