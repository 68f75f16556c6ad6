package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ukiyoe import MTCNN_FOLDER}: the model file detects exactly what the folder does. */
class MtcnnImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void theImportedDetectorFindsTheSameFacesAsTheFolder() throws Exception {
        Path model = dir.resolve("mtcnn.safetensors");
        CliRun r = CliRun.of("import", DetectCommandTest.MTCNN.toString(), "--out", model.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("MTCNN (P-Net, R-Net, O-Net)"), r.out());
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.copy(DetectCommandTest.MTCNN.resolve(DetectCommandTest.prefix() + "image.png"), photos.resolve("photo.png"));
        r = CliRun.of("data", "detect", "--images", photos.toString(), "--detector", DetectCommandTest.MTCNN.toString(),
                "--out", dir.resolve("folder.json").toString());
        assertEquals(0, r.exit(), r.err());
        r = CliRun.of("data", "detect", "--images", photos.toString(), "--detector", model.toString(),
                "--out", dir.resolve("file.json").toString());
        assertEquals(0, r.exit(), r.err());
        String json = Files.readString(dir.resolve("folder.json"));
        assertTrue(json.contains("\"points\""), json);
        assertEquals(json, Files.readString(dir.resolve("file.json")));
    }
}
