package io.ukiyoe.graphs.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.model.Safetensors;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files are one-line errors naming the file and the tensor, never wrong weights; and no
 * mutation of a real file makes a reader fail with anything but the project's own one-line errors.
 */
class CorruptionTest {
    @TempDir
    Path dir;

    /** The file offset of a zip member's data: where its first bytes occur in the archive. */
    private static int dataOffset(byte[] archive, Path file, String entryName) throws IOException {
        try (ZipFile z = new ZipFile(file.toFile())) {
            ZipEntry e = z.getEntry(entryName);
            byte[] head = z.getInputStream(e).readNBytes(64);
            outer:
            for (int i = 0; i + head.length <= archive.length; i++) {
                for (int j = 0; j < head.length; j++) {
                    if (archive[i + j] != head[j]) {
                        continue outer;
                    }
                }
                return i;
            }
        }
        throw new AssertionError("entry data not found");
    }

    @Test
    void aFlippedByteInATorchStorageIsRefusedByTensorName() throws IOException {
        Path src = Fixtures.file("rosinality_tiny.pt");
        byte[] b = Files.readAllBytes(src);
        String storage;
        try (ZipFile z = new ZipFile(src.toFile())) {
            storage = z.stream().map(ZipEntry::getName).filter(n -> n.contains("/data/") && !n.endsWith("/"))
                    .filter(n -> z.getEntry(n).getSize() >= 256).findFirst().orElseThrow();
        }
        int at = dataOffset(b, src, storage) + 100;
        b[at] ^= 0x10;                          // one bit of one float; the zip's CRC-32 left as it was
        Path damaged = dir.resolve("damaged.pt");
        Files.write(damaged, b);
        UserError e = assertThrows(UserError.class, () -> Importer.importFile(damaged, Importer.Format.AUTO));
        assertTrue(e.getMessage().startsWith(damaged + ": tensor '"), e.getMessage());
        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("CRC-32"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void modelFilesCarryChecksumsThatCatchDamageAndFilesWithoutThemStillLoad() throws IOException {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        Path f = dir.resolve("m.safetensors");
        m.write(f);
        assertEquals(m.tensors(), StyleGanModel.read(f).tensors());
        assertTrue(!StyleGanModel.read(f).metadata().containsKey(Safetensors.CHECKSUMS), "checksums are not metadata");
        byte[] b = Files.readAllBytes(f);
        b[b.length - 2] ^= 0x01;                // inside the last tensor's data (a 4-byte bias)
        Files.write(f, b);
        String last = List.copyOf(m.tensors().keySet()).get(m.tensors().size() - 1);
        UserError e = assertThrows(UserError.class, () -> StyleGanModel.read(f));
        assertEquals(f + ": tensor '" + last + "' is damaged (its bytes do not match the CRC32C recorded when the "
                + "file was written)", e.getMessage());

        Path plain = dir.resolve("other-tool.safetensors");      // as another tool writes it: no checksums
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        Safetensors.write(plain, Map.of("w", new io.ukiyoe.core.io.Tensor(new long[] {2}, new float[] {1, 2})), meta);
        byte[] p = Files.readAllBytes(plain);
        String text = new String(p, java.nio.charset.StandardCharsets.ISO_8859_1);
        int k = text.indexOf(Safetensors.CHECKSUMS);
        assertTrue(k > 0);
        for (int i = k; i < k + Safetensors.CHECKSUMS.length(); i++) {
            p[i] = 'x';                       // rename the key: now it is just foreign metadata
        }
        Files.write(plain, p);
        assertEquals(2, Safetensors.read(plain).tensors().get("w").numel());
    }

    /** Feeds {@code rounds} mutations of a file to a reader; anything but success or a one-line UserError fails. */
    private void fuzz(Path seed, int rounds, long rngSeed, Consumer<Path> reader) throws IOException {
        byte[] orig = Files.readAllBytes(seed);
        Random r = new Random(rngSeed);
        Path f = dir.resolve("fuzz-" + seed.getFileName());
        for (int i = 0; i < rounds; i++) {
            byte[] b = orig.clone();
            switch (r.nextInt(4)) {
                case 0 -> {                        // a few random bytes anywhere
                    for (int k = r.nextInt(4) + 1; k > 0; k--) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    }
                }
                case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));          // truncated
                case 2 -> {                        // bytes in the first kilobyte (headers, pickle opcodes)
                    for (int k = r.nextInt(8) + 1; k > 0; k--) {
                        b[r.nextInt(Math.min(1024, b.length))] = (byte) r.nextInt(256);
                    }
                }
                default -> {                       // a run of 0xff (huge lengths) at a random place
                    int at = r.nextInt(b.length);
                    for (int k = at; k < Math.min(b.length, at + 8); k++) {
                        b[k] = (byte) 0xff;
                    }
                }
            }
            Files.write(f, b);
            try {
                reader.accept(f);
            } catch (UserError e) {
                if (e.getMessage() == null || e.getMessage().lines().count() != 1) {
                    fail("round " + i + " of " + seed.getFileName() + ": not a one-line error: " + e.getMessage());
                }
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                throw new AssertionError("round " + i + " of " + seed.getFileName() + " escaped as " + e, e);
            }
        }
    }

    @Test
    void mutatedCheckpointsModelFilesAndArraysGiveOnlyOneLineErrors() throws IOException {
        Consumer<Path> importer = p -> Importer.importAny(p, Importer.Format.AUTO);
        fuzz(Fixtures.file("rosinality_tiny.pt"), 400, 11, importer);
        fuzz(Fixtures.file("rosinality_tiny_legacy.pt"), 400, 12, importer);
        fuzz(Fixtures.file("ada_tiny_snapshot.pkl"), 300, 13, importer);
        Path model = dir.resolve("seed.safetensors");
        Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO).write(model);
        fuzz(model, 400, 14, importer);
        fuzz(Fixtures.file("rosinality_tiny_z.npy"), 300, 15, Npy::read);
        fuzz(Fixtures.file("rosinality_tiny_train_grads_D.npz"), 300, 16, Npy::readNpz);
    }
}
