package io.ukiyoe.graphs.pickle;

import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes what {@code torch.save(obj, f)} writes for a dict of tensors and (ordered) dicts of tensors:
 * the zip format of torch 1.6+ that {@code torch.load} reads (also with {@code weights_only=True}), so
 * PyTorch programs load ukiyoe's tensors unchanged.
 *
 * <p>Layout, as torch's {@code PyTorchStreamWriter}: {@code archive/data.pkl} first (pickle protocol 2;
 * each tensor is {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}
 * with the storage a persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)}), then
 * {@code archive/byteorder} ({@code little}), one {@code archive/data/<key>} per storage (raw float32
 * little-endian, stored uncompressed and 64-byte aligned as torch aligns them for mmap), and
 * {@code archive/version} ({@code 3}). Only the classes torch's weights-only unpickler allows are named.
 */
public final class TorchSave {
    private static final String ARCHIVE = "archive/";
    private static final int ALIGN = 64;
    /** The extra-field id torch pads local headers with ("FB"). */
    private static final int PAD_FIELD = 0x4246;

    private TorchSave() {}

    /**
     * Writes {@code root} atomically. Values may be {@link Tensor}s (float32) or maps of name to tensor
     * (pickled as {@code collections.OrderedDict}, key order kept, as a state dict is).
     */
    public static void write(Path file, Map<String, ?> root) throws IOException {
        AtomicFiles.write(file, out -> writeTo(out, root));
    }

    public static void writeTo(OutputStream out, Map<String, ?> root) throws IOException {
        Pickler p = new Pickler();
        p.proto2();
        p.dict(root, false);
        p.stop();

        Counting counting = new Counting(out);
        ZipOutputStream zip = new ZipOutputStream(counting);
        stored(zip, counting, ARCHIVE + "data.pkl", p.bytes());
        stored(zip, counting, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < p.storages.size(); i++) {
            stored(zip, counting, ARCHIVE + "data/" + i, littleEndian(p.storages.get(i).data()));
        }
        stored(zip, counting, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        zip.flush();
    }

    /** One uncompressed entry whose data starts at a multiple of 64 bytes from the file's start. */
    private static void stored(ZipOutputStream zip, Counting counting, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTime(315532800000L);  // 1980-01-01, the zip epoch: identical bytes for identical tensors
        int nameLen = name.getBytes(StandardCharsets.UTF_8).length;
        long headerEnd = counting.count + 30 + nameLen + 4;   // local header + name + the pad field's own header
        int pad = (int) ((ALIGN - headerEnd % ALIGN) % ALIGN);
        byte[] extra = new byte[4 + pad];
        ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN).putShort((short) PAD_FIELD).putShort((short) pad);
        e.setExtra(extra);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** Counts the bytes written so far, to place each entry's data on an aligned offset. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Pickle protocol 2 opcodes for dicts, strings, ints, tuples and tensors; nothing else is needed. */
    private static final class Pickler {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<Tensor> storages = new ArrayList<>();

        byte[] bytes() {
            return out.toByteArray();
        }

        void proto2() {
            op(0x80);
            op(2);
        }

        void stop() {
            op('.');
        }

        void dict(Map<String, ?> m, boolean ordered) {
            if (ordered) {
                global("collections", "OrderedDict");
                op(')');       // EMPTY_TUPLE
                op('R');       // REDUCE: OrderedDict()
            } else {
                op('}');       // EMPTY_DICT
            }
            if (m.isEmpty()) {
                return;
            }
            op('(');           // MARK
            for (var e : m.entrySet()) {
                string(e.getKey());
                value(e.getKey(), e.getValue());
            }
            op('u');           // SETITEMS
        }

        @SuppressWarnings("unchecked")
        private void value(String key, Object v) {
            if (v instanceof Tensor t) {
                tensor(t);
            } else if (v instanceof Map<?, ?> m) {
                dict((Map<String, ?>) m, true);
            } else {
                throw new IllegalArgumentException(key + ": cannot write a " + (v == null ? "null" : v.getClass().getSimpleName()));
            }
        }

        /** {@code _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}, C-contiguous. */
        private void tensor(Tensor t) {
            global("torch._utils", "_rebuild_tensor_v2");
            op('(');
            op('(');                                  // the persistent id tuple
            string("storage");
            global("torch", "FloatStorage");
            string(Integer.toString(storages.size()));
            string("cpu");
            integer(t.numel());
            op('t');
            op('Q');                                  // BINPERSID
            storages.add(t);
            integer(0);
            long[] shape = t.shape();
            long[] stride = new long[shape.length];
            long s = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                stride[i] = s;
                s *= shape[i];
            }
            tuple(shape);
            tuple(stride);
            op(0x89);                                 // NEWFALSE: requires_grad
            global("collections", "OrderedDict");     // backward hooks
            op(')');
            op('R');
            op('t');
            op('R');
        }

        private void tuple(long[] v) {
            op('(');
            for (long x : v) {
                integer(x);
            }
            op('t');
        }

        private void global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        private void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');                                  // BINUNICODE
            int4(b.length);
            out.writeBytes(b);
        }

        private void integer(long v) {
            if (v >= 0 && v < 256) {
                op('K');                              // BININT1
                op((int) v);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');                              // BININT
                int4((int) v);
            } else {
                op(0x8a);                             // LONG1, 8 bytes little-endian
                op(8);
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            }
        }

        private void int4(int v) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        private void op(int b) {
            out.write(b);
        }
    }
}
