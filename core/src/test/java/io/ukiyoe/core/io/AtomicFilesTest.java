package io.ukiyoe.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    /** Entry point for the child JVM: writes one file atomically. */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            AtomicFiles.writeString(Path.of(args[0]), "hello");
        }
    }

    private String modeUnderUmask(String umask, String name) throws Exception {
        Path out = dir.resolve(name);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("bash", "-c", "umask " + umask + " && exec \"$0\" -cp \"$1\" '"
                + Writer.class.getName() + "' \"$2\"", java, System.getProperty("java.class.path"), out.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), log);
        assertEquals("hello", Files.readString(out));
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(out));
    }

    @Test
    void outputsGetThePermissionsTheUmaskGivesNewFiles() throws Exception {
        assertEquals("rw-r--r--", modeUnderUmask("022", "a.txt"));
        assertEquals("rw-------", modeUnderUmask("077", "b.txt"));
        assertEquals("rw-rw-r--", modeUnderUmask("002", "c.txt"));
    }

    @Test
    void failuresNameTheUsersPathAndLeaveNoTemporaryFile() throws IOException {
        Path notAFolder = dir.resolve("file");
        Files.writeString(notAFolder, "x");
        UserError e = assertThrows(UserError.class, () -> AtomicFiles.writeString(notAFolder.resolve("model.safetensors"), "y"));
        assertEquals("cannot write " + notAFolder.resolve("model.safetensors") + ": a parent is not a folder", e.getMessage());

        Path target = dir.resolve("out.bin");
        UserError e2 = assertThrows(UserError.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new FileSystemException(dir.resolve(".out.bin.x1.tmp").toString(), null, "No space left on device");
        }));
        assertEquals("cannot write " + target + ": no space left on device", e2.getMessage());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the file made above remains");
        }
        assertFalse(Files.exists(target));
    }

    @Test
    void strayFailuresAreDescribedByTheFileTheyWereFor() {
        assertEquals("cannot access runs/x/model.safetensors: permission denied", IoErrors.describe(
                new java.nio.file.AccessDeniedException("runs/x/.model.safetensors.k3j2.tmp")));
        assertEquals("cannot access /data/a.png: no space left on device", IoErrors.describe(
                new FileSystemException("/data/a.png", null, "No space left on device")));
        assertEquals("I/O error: disk quota exceeded", IoErrors.describe(new IOException("Disk quota exceeded")));
    }
}
