package io.ukiyoe.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader (or a crash) never sees half of one: the content goes to a
 * temporary file in the same folder, is flushed to disk, then renamed over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes what {@code body} produces. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, Body body) throws IOException {
        write(target, body, true);
    }

    /**
     * As {@link #write(Path, Body)}; {@code sync = false} skips the flush to disk (still never a
     * half-written file under the target name) for bulk outputs such as thousands of images.
     */
    public static void write(Path target, Body body, boolean sync) throws IOException {
        Path tmp = newTempFile(target);
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(out);
            }
            if (sync) {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw IoErrors.cannot("write", target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already (or the folder went away): that is the error to report
            }
        }
    }

    /**
     * A new empty file {@code .NAME.<random>.tmp} beside {@code target}, to be renamed over it when
     * complete. Created as any new file is, so it gets the permissions the umask gives (0644 under
     * umask 022); {@code Files.createTempFile} would make it 0600 and the renamed output unreadable to
     * other users. Failures are one-line errors naming the target.
     */
    public static Path newTempFile(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            try {
                Files.createDirectories(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {    // a file where a folder should be
                throw new java.nio.file.NotDirectoryException(e.getFile());
            }
            for (int attempt = 0; ; attempt++) {
                Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
                try {
                    return Files.createFile(tmp);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (attempt > 100) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw IoErrors.cannot("write", target, e);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Renames a finished temporary file over the target (atomically where the file system can). */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
