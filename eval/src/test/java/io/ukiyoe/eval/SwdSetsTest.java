package io.ukiyoe.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.core.cluster.Task;
import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.Init;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SWD descriptors per image: cutting a set into other windows (another engine's parallelism) gives the
 * same descriptors and the same SWD, equal to adding the images one by one in a single pass.
 */
class SwdSetsTest {
    @TempDir
    Path dir;

    /** Runs here, but says it has {@code parallelism} workers, so the set is cut into more, smaller windows. */
    record Wide(int parallelism, int[] windows) implements Cluster {
        @Override
        public <T extends Serializable, R extends Serializable> List<R> map(List<T> items, Task<T, R> task, IntConsumer progress) {
            windows[0] = items.size();
            return Cluster.local().map(items, task, progress);
        }

        @Override
        public String describe() {
            return "wide";
        }
    }

    @Test
    void windowsOfAnySizeGiveTheSameDescriptors() throws Exception {
        Path model = Fixtures.file("rosinality_tiny.pt");
        int n = 40;
        int[] one = new int[1];
        int[] many = new int[1];
        Swd.Descriptors a = SwdSets.descriptors(model, n, 32, 5, new Wide(1, one), k -> { });
        Swd.Descriptors b = SwdSets.descriptors(model, n, 32, 5, new Wide(3, many), k -> { });
        assertTrue(many[0] > one[0], one[0] + " vs " + many[0] + " windows");
        Swd.Descriptors sequential = new Swd.Descriptors(32, 5);
        SeedImages.generate(new Generator(Importer.importFile(model, Importer.Format.AUTO)), SeedImages.range(n), 1, 8,
                img -> sequential.add(ImageSets.to255(img)));
        assertEquals(n, a.images());
        for (int l = 0; l < a.byLevel.size(); l++) {
            for (int i = 0; i < a.byLevel.get(l).size(); i++) {
                assertArrayEquals(a.byLevel.get(l).get(i), b.byLevel.get(l).get(i));
                assertArrayEquals(a.byLevel.get(l).get(i), sequential.byLevel.get(l).get(i));
            }
        }

        // images: a folder of random PNGs, against the model
        Path images = Files.createDirectories(dir.resolve("images"));
        Random r = new Random(2);
        for (int i = 0; i < 19; i++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            Images.writePng(images.resolve(String.format("%02d.png", i)), img);
        }
        double plain = Swd.compute(SwdSets.descriptors(images, n, 32, 5, Cluster.local(), k -> { }), a, 5).average();
        double wide = Swd.compute(SwdSets.descriptors(images, n, 32, 5, new Wide(4, many), k -> { }), b, 5).average();
        assertTrue(plain > 0, "random images vs a model: " + plain);
        assertEquals(plain, wide, 0.0, "the same SWD on any partitioning");
        // each image has its own patch positions: two images' positions differ
        assertNotEquals(Swd.patchRandom(5, 0).nextInt(), Swd.patchRandom(5, 1).nextInt());
    }

    @Test
    void aModelGivesNImagesAFolderWhatItHas() throws Exception {
        Path model = dir.resolve("m.safetensors");
        Init.random(StyleGanConfig.of(16, 8, 8, 2, Map.of(4, 12, 8, 10, 16, 6)), 3, false).write(model);
        Swd.Descriptors fromModel = SwdSets.descriptors(model, 5, 16, 1, Cluster.local(), k -> { });
        assertEquals(5, fromModel.images());
        UserError e = assertThrows(UserError.class, () -> SwdSets.descriptors(model, 5, 32, 1, Cluster.local(), k -> { }));
        assertTrue(e.getMessage().contains("generates 16 px images"), e.getMessage());

        Path images = Files.createDirectories(dir.resolve("few"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xFFFFFF);
            ImageIO.write(img, "png", images.resolve(i + ".png").toFile());
        }
        assertEquals(3, SwdSets.descriptors(images, 5, 16, 1, Cluster.local(), k -> { }).images());
    }
}
