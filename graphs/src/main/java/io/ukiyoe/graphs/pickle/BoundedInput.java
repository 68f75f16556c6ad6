package io.ukiyoe.graphs.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that knows how many bytes are left (so a declared length can be checked before
 * anything is allocated) and can push back a few bytes it has just read.
 */
final class BoundedInput extends InputStream {
    private final InputStream in;
    private long remaining;
    private final byte[] back = new byte[16];
    private int backLen;

    BoundedInput(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    long remaining() {
        return remaining + backLen;
    }

    @Override
    public int read() throws IOException {
        if (backLen > 0) {
            return back[--backLen] & 0xff;
        }
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (backLen > 0 && n < len) {
            buf[off + n++] = back[--backLen];
        }
        if (n == len) {
            return n;
        }
        if (remaining <= 0) {
            return n == 0 ? -1 : n;
        }
        int r = in.read(buf, off + n, (int) Math.min(len - n, remaining));
        if (r > 0) {
            remaining -= r;
            n += r;
        }
        return n == 0 ? -1 : n;
    }

    /** Reads exactly {@code n} bytes. */
    byte[] readExactly(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("unexpected end of data");
            }
            off += r;
        }
        return b;
    }

    /** Pushes back bytes just read, so the next read returns them again in order. */
    void unread(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) {
            back[backLen++] = b[i];
        }
    }
}
