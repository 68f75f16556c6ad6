package io.ukiyoe.graphs.pickle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A torch storage: element type, element count, and (once read) its little-endian bytes. */
final class TorchStorage {
    /** A storage class such as torch.FloatStorage. */
    record Type(String name, int elementSize) {}

    final Type type;
    final long numel;
    final String key;
    ByteBuffer data;
    /** Set when the archive entry's bytes fail its CRC-32: any tensor over it is refused by name. */
    boolean damaged;

    TorchStorage(Type type, long numel, String key) {
        this.type = type;
        this.numel = numel;
        this.key = key;
    }

    void setData(byte[] bytes) {
        data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    float get(long i) {
        int idx = Math.toIntExact(i);
        return switch (type.name()) {
            case "FloatStorage" -> data.getFloat(idx * 4);
            case "DoubleStorage" -> (float) data.getDouble(idx * 8);
            case "HalfStorage" -> io.ukiyoe.core.io.Npy.halfToFloat(data.getShort(idx * 2));
            case "BFloat16Storage" -> Float.intBitsToFloat((data.getShort(idx * 2) & 0xffff) << 16);
            case "LongStorage" -> (float) data.getLong(idx * 8);
            case "IntStorage" -> (float) data.getInt(idx * 4);
            default -> throw new SafeUnpickler.Refused("unsupported storage type " + type.name());
        };
    }
}
