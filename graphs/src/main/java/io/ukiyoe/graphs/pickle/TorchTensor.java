package io.ukiyoe.graphs.pickle;

import io.ukiyoe.core.io.Tensor;
import java.util.Arrays;

/** A tensor view into a storage (offset, size, stride in elements) as torch pickles it. */
public final class TorchTensor {
    final TorchStorage storage;
    final long offset;
    final long[] shape;
    final long[] stride;

    TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {
        if (shape.length != stride.length) {
            throw new SafeUnpickler.Refused("tensor size and stride differ in rank");
        }
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || stride[i] < 0) {
                throw new SafeUnpickler.Refused("negative tensor size or stride");
            }
            if (shape[i] == 0) {
                last = -1;
                break;
            }
            last += (shape[i] - 1) * stride[i];
        }
        if (offset < 0 || last >= storage.numel) {
            throw new SafeUnpickler.Refused("tensor of size " + Arrays.toString(shape) + " at offset " + offset
                    + " does not fit its storage of " + storage.numel + " elements");
        }
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.stride = stride;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** True when the view is dense in C order (strides are the suffix products of the shape). */
    boolean contiguous() {
        long expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expect) {
                return false;
            }
            expect *= shape[i];
        }
        return true;
    }

    /** Copies the viewed elements into a dense float32 tensor. */
    public Tensor toTensor() {
        if (storage.data == null) {
            throw new SafeUnpickler.Refused("storage " + storage.key + " has no data");
        }
        if (storage.damaged) {
            throw new SafeUnpickler.Refused("its bytes are damaged (archive entry data/" + storage.key
                    + " fails its CRC-32)");
        }
        int n = Math.toIntExact(Tensor.numel(shape));
        float[] out = new float[n];
        if (storage.type.name().equals("FloatStorage") && contiguous()) {
            storage.data.duplicate().order(storage.data.order()).position(Math.toIntExact(offset * 4)).slice()
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return new Tensor(shape.clone(), out);
        }
        long[] idx = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long pos = offset;
            for (int k = 0; k < shape.length; k++) {
                pos += idx[k] * stride[k];
            }
            out[i] = storage.get(pos);
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return new Tensor(shape.clone(), out);
    }
}
