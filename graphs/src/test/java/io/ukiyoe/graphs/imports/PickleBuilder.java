package io.ukiyoe.graphs.imports;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, so tests can make files in Python's formats without Python. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder proto(int v) {
        return raw(0x80, v);
    }

    PickleBuilder raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleBuilder raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    private PickleBuilder len4(long n) {
        return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) n).array());
    }

    PickleBuilder global(String module, String name) {
        raw('c');
        return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        raw('X');
        len4(b.length);
        return raw(b);
    }

    PickleBuilder bytes(byte[] b) {
        raw('B');
        len4(b.length);
        return raw(b);
    }

    /** BINBYTES with a declared length that need not match what follows. */
    PickleBuilder bytesHeader(long declared) {
        raw('B');
        return len4(declared);
    }

    PickleBuilder integer(long v) {
        if (v >= 0 && v < 256) {
            return raw('K', (int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            raw('J');
            return len4(v);
        }
        byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
        raw(0x8a, 8); // LONG1
        return raw(le);
    }

    PickleBuilder none() {
        return raw('N');
    }

    PickleBuilder bool(boolean b) {
        return raw(b ? 0x88 : 0x89);
    }

    PickleBuilder mark() {
        return raw('(');
    }

    PickleBuilder tuple() {
        return raw('t');
    }

    PickleBuilder emptyTuple() {
        return raw(')');
    }

    PickleBuilder emptyList() {
        return raw(']');
    }

    PickleBuilder appends() {
        return raw('e');
    }

    PickleBuilder emptyDict() {
        return raw('}');
    }

    PickleBuilder setItems() {
        return raw('u');
    }

    PickleBuilder reduce() {
        return raw('R');
    }

    PickleBuilder build() {
        return raw('b');
    }

    PickleBuilder newObj() {
        return raw(0x81);
    }

    PickleBuilder binPersId() {
        return raw('Q');
    }

    PickleBuilder stop() {
        return raw('.');
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
