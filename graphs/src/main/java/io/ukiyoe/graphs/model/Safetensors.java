package io.ukiyoe.graphs.model;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safetensors format (what Python's {@code safetensors} reads and writes): an 8-byte
 * little-endian header length, a JSON header mapping names to {@code dtype}, {@code shape} and
 * {@code data_offsets}, with string {@code __metadata__}, then the raw little-endian data. Reading
 * checks every bound before allocating; float32 is written, F32/F16/BF16/F64 are read.
 */
public final class Safetensors {
    /** Upper bound for the JSON header (the reference implementation uses 100 MB). */
    static final long MAX_HEADER = 100L << 20;
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private Safetensors() {}

    /** Tensors in file order and the metadata strings. */
    public record Contents(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> metadata) {}

    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "too short for a safetensors header (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw bad(file, "header length " + Long.toUnsignedString(headerLen) + " does not fit the file ("
                        + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (JacksonException e) {
                throw bad(file, "header is not valid JSON");
            }
            if (!header.isObject()) {
                throw bad(file, "header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            record Entry(String name, String dtype, long[] shape, long begin, long end) {}
            List<Entry> entries = new ArrayList<>();
            LinkedHashMap<String, String> meta = new LinkedHashMap<>();
            for (var prop : header.properties()) {
                String name = prop.getKey();
                JsonNode v = prop.getValue();
                if (name.equals("__metadata__")) {
                    if (!v.isObject()) {
                        throw bad(file, "__metadata__ is not an object");
                    }
                    for (var m : v.properties()) {
                        if (!m.getValue().isString()) {
                            throw bad(file, "__metadata__." + m.getKey() + " is not a string");
                        }
                        meta.put(m.getKey(), m.getValue().asString());
                    }
                    continue;
                }
                JsonNode dt = v.get("dtype");
                JsonNode sh = v.get("shape");
                JsonNode off = v.get("data_offsets");
                if (dt == null || !dt.isString() || sh == null || !sh.isArray() || off == null || !off.isArray()
                        || off.size() != 2) {
                    throw bad(file, "tensor '" + name + "' lacks dtype, shape or data_offsets");
                }
                long[] shape = new long[sh.size()];
                for (int i = 0; i < shape.length; i++) {
                    if (!sh.get(i).canConvertToLong() || sh.get(i).asLong() < 0) {
                        throw bad(file, "tensor '" + name + "' has an invalid shape " + sh);
                    }
                    shape[i] = sh.get(i).asLong();
                }
                long begin = off.get(0).asLong(-1);
                long end = off.get(1).asLong(-1);
                int elem = elementSize(dt.asString());
                if (elem == 0) {
                    throw bad(file, "tensor '" + name + "' has unsupported dtype " + dt.asString());
                }
                long numel;
                try {
                    numel = Tensor.numel(shape);
                    Math.multiplyExact(numel, (long) elem);
                } catch (ArithmeticException e) {
                    throw bad(file, "tensor '" + name + "' shape " + sh + " overflows");
                }
                if (begin < 0 || end < begin || end > dataLen) {
                    throw bad(file, "tensor '" + name + "' data_offsets " + off + " lie outside the " + dataLen
                            + "-byte data section");
                }
                if (end - begin != numel * elem) {
                    throw bad(file, "tensor '" + name + "' shape " + sh + " needs " + numel * elem
                            + " bytes, data_offsets give " + (end - begin));
                }
                if (numel > Integer.MAX_VALUE - 8) {
                    throw bad(file, "tensor '" + name + "' is too large");
                }
                entries.add(new Entry(name, dt.asString(), shape, begin, end));
            }
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin));
            long expect = 0;
            for (Entry e : byOffset) {
                if (e.begin() != expect) {
                    throw bad(file, "tensor '" + e.name() + "' data overlaps another or leaves a gap");
                }
                expect = e.end();
            }
            if (expect != dataLen) {
                throw bad(file, "data section has " + dataLen + " bytes, tensors cover " + expect);
            }
            Map<String, String> crcs = recordedChecksums(file, meta.remove(CHECKSUMS));
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer buf = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, buf, dataStart + e.begin());
                String want = crcs.get(e.name());
                if (want != null && !want.equals(crc32c(buf))) {
                    throw new UserError(file + ": tensor '" + e.name() + "' is damaged (its bytes do not match the "
                            + "CRC32C recorded when the file was written)");
                }
                tensors.put(e.name(), new Tensor(e.shape(), decode(buf, e.dtype())));
            }
            return new Contents(tensors, meta);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Metadata key of the per-tensor CRC32C checksums ukiyoe writes (a JSON object, tensor name ->
     * 8 hex digits) and verifies on read: a damaged file is an error naming the tensor, never wrong
     * weights. Files from other tools have none and load as they are.
     */
    public static final String CHECKSUMS = "ukiyoe_tensor_crc32c";

    private static Map<String, String> recordedChecksums(Path file, String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            JsonNode n = JSON.readTree(json);
            Map<String, String> out = new java.util.HashMap<>();
            for (var p : n.properties()) {
                out.put(p.getKey(), p.getValue().asString());
            }
            return out;
        } catch (JacksonException | IllegalArgumentException e) {
            throw bad(file, "__metadata__." + CHECKSUMS + " is not a JSON object");
        }
    }

    /** CRC32C of a buffer's remaining bytes as 8 hex digits; the buffer's position is kept. */
    static String crc32c(ByteBuffer b) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b.duplicate());
        return String.format("%08x", c.getValue());
    }

    private static UserError bad(Path file, String why) {
        return new UserError(file + ": not a valid safetensors file: " + why);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        buf.flip();
    }

    static int elementSize(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> 0;
        };
    }

    private static float[] decode(ByteBuffer b, String dtype) {
        int n = b.remaining() / elementSize(dtype);
        float[] out = new float[n];
        switch (dtype) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Npy.halfToFloat(b.getShort(i * 2));
                }
            }
            case "BF16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(dtype);
        }
        return out;
    }

    /** Writes float32 tensors in the given order with string metadata (atomically). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(file, out -> writeTo(out, tensors, metadata));
    }

    /** The file's bytes: 8-byte header length, JSON header (8-byte aligned), little-endian float32 data. */
    public static void writeTo(java.io.OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach((k, v) -> {
            if (!k.equals(CHECKSUMS)) {
                meta.put(k, v);
            }
        });
        ObjectNode crcs = JSON.createObjectNode();
        ByteBuffer scratch = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (var e : tensors.entrySet()) {
            java.util.zip.CRC32C c = new java.util.zip.CRC32C();
            float[] d = e.getValue().data();
            var fb = scratch.asFloatBuffer();
            for (int off = 0; off < d.length; ) {
                int n = Math.min(fb.capacity(), d.length - off);
                fb.clear();
                fb.put(d, off, n);
                c.update(scratch.array(), 0, n * 4);
                off += n;
            }
            crcs.put(e.getKey(), String.format("%08x", c.getValue()));
        }
        meta.put(CHECKSUMS, JSON.writeValueAsString(crcs));
        long offset = 0;
        for (var e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            var off = t.putArray("data_offsets");
            off.add(offset);
            offset += e.getValue().numel() * 4;
            off.add(offset);
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // keep the data 8-byte aligned, as the reference writer does
        byte[] padded = java.util.Arrays.copyOf(json, json.length + pad);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length);
        out.write(len.array());
        out.write(padded);
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        var floats = buf.asFloatBuffer();
        for (Tensor t : tensors.values()) {
            float[] d = t.data();
            for (int off = 0; off < d.length; ) {
                int n = Math.min(floats.capacity(), d.length - off);
                floats.clear();
                floats.put(d, off, n);
                out.write(buf.array(), 0, n * 4);
                off += n;
            }
        }
    }
}
