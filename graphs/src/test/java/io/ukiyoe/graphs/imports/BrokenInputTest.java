package io.ukiyoe.graphs.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken or hostile files end in one-line errors naming the file, never in a crash, hang or huge allocation. */
class BrokenInputTest {
    @TempDir
    Path dir;

    private UserError importError(byte[] content) throws Exception {
        Path p = dir.resolve("bad.pt");
        Files.write(p, content);
        UserError e = assertThrows(UserError.class, () -> Importer.importFile(p, Importer.Format.AUTO));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void truncatedCheckpointsAreRejected() throws Exception {
        for (String f : new String[] {"rosinality_tiny.pt", "rosinality_tiny_legacy.pt", "ada_tiny_snapshot.pkl"}) {
            byte[] full = Files.readAllBytes(Fixtures.file(f));
            for (double frac : new double[] {0.001, 0.3, 0.9, 0.999}) {
                importError(Arrays.copyOf(full, (int) (full.length * frac)));
            }
        }
    }

    @Test
    void wrongMagicIsRejected() throws Exception {
        assertTrue(importError("hello, not a checkpoint".getBytes()).getMessage().contains("magic"));
        importError(new byte[0]);
    }

    @Test
    void bitFlipsNeverEscapeAsInternalErrors() throws Exception {
        byte[] legacy = Files.readAllBytes(Fixtures.file("rosinality_tiny_legacy.pt"));
        Random rnd = new Random(11);
        Path p = dir.resolve("flipped.pt");
        for (int trial = 0; trial < 60; trial++) {
            byte[] b = legacy.clone();
            int pos = rnd.nextInt(17000); // the pickles sit before the raw storage data
            b[pos] ^= (byte) (1 << rnd.nextInt(8));
            Files.write(p, b);
            try {
                Importer.importFile(p, Importer.Format.AUTO);
            } catch (UserError e) {
                assertFalse(e.getMessage().contains("\n"));
            }
        }
    }

    /** A torch.save zip whose data.pkl is {@code pkl} and whose storage 0 holds {@code storageBytes}. */
    private static byte[] torchZip(byte[] pkl, byte[] storageBytes) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bos)) {
            io.ukiyoe.core.io.Zips.putStored(zip, "archive/data.pkl", pkl);
            io.ukiyoe.core.io.Zips.putStored(zip, "archive/data/0", storageBytes);
            io.ukiyoe.core.io.Zips.putStored(zip, "archive/version", "3\n".getBytes());
        }
        return bos.toByteArray();
    }


    /** {'g_ema': OrderedDict(style.1.weight = tensor of the given size over a 4-element storage)}. */
    private static byte[] stateDictPickle(long declaredNumel, long... size) {
        PickleBuilder b = new PickleBuilder().proto(2).emptyDict().mark().str("g_ema");
        b.global("collections", "OrderedDict").emptyTuple().reduce().mark().str("style.1.weight");
        b.global("torch._utils", "_rebuild_tensor_v2").mark();
        b.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(declaredNumel).tuple().binPersId();
        b.integer(0).mark();
        for (long s : size) {
            b.integer(s);
        }
        b.tuple().mark();
        long stride = 1;
        long[] strides = new long[size.length];
        for (int i = size.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= size[i];
        }
        for (long s : strides) {
            b.integer(s);
        }
        b.tuple().bool(false).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
        b.setItems().setItems().stop();
        return b.toBytes();
    }

    @Test
    void aDeclaredShapeLargerThanItsStorageIsRejected() throws Exception {
        byte[] storage = new byte[16];
        UserError e = importError(torchZip(stateDictPickle(4, 1000, 1000), storage));
        assertTrue(e.getMessage().contains("does not fit its storage"), e.getMessage());
        UserError big = importError(torchZip(stateDictPickle(1L << 40, 4), storage));
        // a storage that claims more than the file could hold (a deflate bomb's trick): the sizes named disagree
        assertTrue(big.getMessage().contains("declares " + (1L << 40) + " elements (" + (4L << 40) + " bytes), more than "
                + "the whole"), big.getMessage());
    }

    @Test
    void unknownPickleGlobalsAreRefusedByName() throws Exception {
        byte[] evil = new PickleBuilder().proto(2).global("os", "system").mark().str("echo pwned").tuple().reduce()
                .stop().toBytes();
        UserError e = importError(evil);
        assertTrue(e.getMessage().contains("refusing pickle global 'os.system'"), e.getMessage());
        byte[] inZip = torchZip(evil, new byte[0]);
        assertTrue(importError(inZip).getMessage().contains("'os.system'"));
    }

    @Test
    void declaredLengthsBeyondTheFileAreRefusedBeforeAllocating() throws Exception {
        byte[] huge = new PickleBuilder().proto(4).bytesHeader(0x7fff0000L).raw(1, 2, 3).stop().toBytes();
        UserError e = importError(huge);
        assertTrue(e.getMessage().contains("only"), e.getMessage());
        // BINBYTES8 with a 2^60 length
        byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 60).array();
        importError(new PickleBuilder().proto(4).raw(0x8e).raw(len).stop().toBytes());
    }

    @Test
    void safetensorsHeadersAreBoundsChecked() throws Exception {
        StyleGanModel m = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        Path good = dir.resolve("m.safetensors");
        m.write(good);
        byte[] b = Files.readAllBytes(good);
        long headerLen = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(b, 8, (int) headerLen);
        // a declared shape larger than its data offsets
        String bigger = header.replaceFirst("\"shape\":\\[64,64\\]", "\"shape\":[640,64]");
        assertFalse(bigger.equals(header));
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, withHeader(bigger, b, headerLen));
        UserError e = assertThrows(UserError.class, () -> StyleGanModel.read(p));
        assertTrue(e.getMessage().contains("needs"), e.getMessage());
        // a header length beyond the file
        byte[] lie = b.clone();
        ByteBuffer.wrap(lie).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 50);
        Files.write(p, lie);
        assertTrue(assertThrows(UserError.class, () -> StyleGanModel.read(p)).getMessage().contains("header length"));
        // truncated data
        Files.write(p, Arrays.copyOf(b, b.length - 100));
        assertThrows(UserError.class, () -> StyleGanModel.read(p));
        // not a model file at all
        Files.write(p, "{}".getBytes());
        assertThrows(UserError.class, () -> StyleGanModel.read(p));
    }

    private static byte[] withHeader(String header, byte[] original, long oldLen) {
        byte[] h = header.getBytes();
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + original.length - 8 - (int) oldLen)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(original, 8 + (int) oldLen, original.length - 8 - (int) oldLen);
        return out.array();
    }

    @Test
    void modelFilesRoundTripWithFormatVersion() throws Exception {
        StyleGanModel m = Importer.importFile(Fixtures.file("ada_tiny_snapshot.pkl"), Importer.Format.AUTO);
        Path p = dir.resolve("ada.safetensors");
        m.write(p);
        StyleGanModel back = StyleGanModel.read(p);
        assertEquals(m.config(), back.config());
        assertEquals(m.tensors(), back.tensors());
        assertEquals(m.metadata().get("imported_sha256"), back.metadata().get("imported_sha256"));
        assertEquals(back.tensors(), Importer.importFile(p, Importer.Format.AUTO).tensors());
    }
}
