package io.ukiyoe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwdSetsTest {
    @TempDir
    Path dir;

    @Test
    void aModelGivesNImagesAFolderWhatItHas() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Init.random(StyleGanConfig.of(16, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6)), 3, false).write(model);
        List<Long> heard = new ArrayList<>();
        Swd.Descriptors fromModel = SwdSets.descriptors(model, 5, 16, 1, heard::add);
        assertEquals(5, fromModel.images());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), heard);
        UserError e = assertThrows(UserError.class, () -> SwdSets.descriptors(model, 5, 32, 1, n -> { }));
        assertTrue(e.getMessage().contains("generates 16 px images"), e.getMessage());

        Path images = dir.resolve("images");
        Files.createDirectories(images);
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xFFFFFF);
            ImageIO.write(img, "png", images.resolve(i + ".png").toFile());
        }
        assertEquals(3, SwdSets.descriptors(images, 5, 16, 1, n -> { }).images());
    }
}
