package io.ukiyoe.training;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A TensorBoard event file ({@code events.out.tfevents.<seconds>.<host>}) of scalars, written without
 * TensorFlow: TFRecord framing (length, masked CRC-32C of the length, payload, masked CRC-32C of the
 * payload) around hand-encoded {@code Event} protocol buffers. The first event carries
 * {@code file_version: "brain.Event:2"}; each scalar is {@code Event{wall_time, step, summary{value{tag,
 * simple_value}}}}. Records are flushed as they are written, so a killed run leaves a readable file.
 */
public final class TensorBoardEvents implements Closeable {
    private final OutputStream out;
    private final Path file;

    public TensorBoardEvents(Path dir) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        long now = System.currentTimeMillis();
        Path f = dir.resolve("events.out.tfevents." + now / 1000 + "." + host);
        for (int i = 2; Files.exists(f); i++) { // a resumed run started in the same second
            f = dir.resolve("events.out.tfevents." + now / 1000 + "." + host + "." + i);
        }
        this.file = f;
        try {
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            wallTime(e, now / 1000.0);
            tag(e, 3, 2);
            bytes(e, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
            record(e.toByteArray());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Path file() {
        return file;
    }

    /** One event holding several scalars at a step; NaN values are skipped. */
    public void scalars(long step, Map<String, Double> values) {
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        values.forEach((name, v) -> {
            if (v == null || v.isNaN()) {
                return;
            }
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            tag(value, 1, 2);
            bytes(value, name.getBytes(StandardCharsets.UTF_8));
            tag(value, 2, 5);
            value.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v.floatValue()).array());
            tag(summary, 1, 2);
            bytes(summary, value.toByteArray());
        });
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        wallTime(e, System.currentTimeMillis() / 1000.0);
        tag(e, 2, 0);
        varint(e, step);
        tag(e, 5, 2);
        bytes(e, summary.toByteArray());
        try {
            record(e.toByteArray());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void record(byte[] payload) throws IOException {
        byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(payload.length).array();
        out.write(len);
        out.write(le32(maskedCrc(len)));
        out.write(payload);
        out.write(le32(maskedCrc(payload)));
        out.flush();
    }

    /**
     * Drops the events after {@code step} from the event files in {@code dir} (a resumed run logs those
     * steps again), rewriting each file atomically; a torn last record (a killed run) is dropped too.
     */
    public static void truncateAfter(Path dir, long step) {
        try {
            for (Path f : files(dir)) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                records(f, (payload, framed) -> {
                    if (stepOf(payload) <= step) {
                        kept.writeBytes(framed);
                    }
                });
                io.ukiyoe.core.io.AtomicFiles.write(f, out -> kept.writeTo(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The steps of the scalar events in a run folder's event files, in file and record order. */
    public static java.util.List<Long> steps(Path dir) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        try {
            for (Path f : files(dir)) {
                records(f, (payload, framed) -> {
                    long s = stepOf(payload);
                    if (s > 0) {
                        out.add(s);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static java.util.List<Path> files(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
    }

    /** Each whole record of a file (payload, and the framed bytes); stops at a torn record. */
    private static void records(Path f, java.util.function.BiConsumer<byte[], byte[]> each) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 12) {
            int start = b.position();
            long len = b.getLong();
            b.getInt();
            if (len < 0 || len > b.remaining() - 4) {
                break;
            }
            byte[] payload = new byte[(int) len];
            b.get(payload);
            b.getInt();
            each.accept(payload, java.util.Arrays.copyOfRange(b.array(), start, b.position()));
        }
    }

    /** The step field of an Event (0 when absent, as for the file-version event). */
    static long stepOf(byte[] event) {
        ByteBuffer b = ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            long key = readVarint(b);
            switch ((int) (key & 7)) {
                case 0 -> {
                    long v = readVarint(b);
                    if (key >>> 3 == 2) {
                        return v;
                    }
                }
                case 1 -> b.position(b.position() + 8);
                case 2 -> {
                    int len = (int) readVarint(b); // read before taking the position the bytes start at
                    b.position(b.position() + len);
                }
                case 5 -> b.position(b.position() + 4);
                default -> {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static long readVarint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                break;
            }
        }
        return v;
    }

    /** TFRecord's checksum: CRC-32C rotated right by 15 bits plus a constant (mod 2^32). */
    static int maskedCrc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static void wallTime(ByteArrayOutputStream e, double seconds) {
        tag(e, 1, 1);
        e.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(seconds).array());
    }

    private static void tag(ByteArrayOutputStream o, int field, int wireType) {
        varint(o, ((long) field << 3) | wireType);
    }

    private static void bytes(ByteArrayOutputStream o, byte[] b) {
        varint(o, b.length);
        o.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
