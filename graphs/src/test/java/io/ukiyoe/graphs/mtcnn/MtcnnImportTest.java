package io.ukiyoe.graphs.mtcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ukiyoe import} of facenet-pytorch's MTCNN folder: one {@code ukiyoe.mtcnn} file whose three
 * networks are the folder's tensors exactly, read back wherever a detector folder is taken; a damaged file
 * or another model file is a one-line error naming it.
 */
class MtcnnImportTest {
    @TempDir
    Path dir;

    static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> got, String net) {
        assertEquals(expected.keySet(), got.keySet(), net);
        expected.forEach((k, t) -> {
            assertArrayEquals(t.shape(), got.get(k).shape(), net + " " + k);
            assertArrayEquals(t.data(), got.get(k).data(), net + " " + k);
        });
    }

    @Test
    void theImportedFileHoldsTheFolderTensorsExactly() {
        Path folder = Fixtures.file("mtcnn");
        Importer.Imported imported = Importer.importAny(folder, Importer.Format.AUTO);
        NetworkFile f = imported.network();
        assertEquals(MtcnnFamily.FORMAT, f.format());
        assertEquals(Tensor.numel(new long[] {10, 3, 3, 3}), f.tensors().get("pnet/conv1/weight").numel());
        Path file = dir.resolve("mtcnn.safetensors");
        f.write(file);
        MtcnnWeights fromFolder = MtcnnWeights.load(folder);
        MtcnnWeights fromFile = MtcnnWeights.load(file);
        assertSame(fromFolder.pnet(), fromFile.pnet(), "pnet");
        assertSame(fromFolder.rnet(), fromFile.rnet(), "rnet");
        assertSame(fromFolder.onet(), fromFile.onet(), "onet");
    }

    @Test
    void aDamagedFileOrAnotherModelIsAOneLineError() {
        NetworkFile f = MtcnnFamily.importFolder(Fixtures.file("mtcnn"));
        f.tensors().remove("onet/dense6_3/weight");
        Path broken = dir.resolve("broken.safetensors");
        f.write(broken);
        UserError e = assertThrows(UserError.class, () -> MtcnnWeights.load(broken));
        assertTrue(e.getMessage().startsWith(broken + ": onet: no 'dense6_3.weight' (not a facenet-pytorch onet state dict")
                && e.getMessage().lines().count() == 1, e.getMessage());
        Path styleGan = dir.resolve("g.safetensors");
        Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO).write(styleGan);
        e = assertThrows(UserError.class, () -> MtcnnWeights.load(styleGan));
        assertEquals(1, e.getMessage().lines().count());
        assertTrue(e.getMessage().startsWith(styleGan + ": not a ukiyoe.mtcnn model file"), e.getMessage());
    }
}
