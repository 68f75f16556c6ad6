package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ukiyoe translate / inspect / export on an imported pix2pixHD generator. */
class TranslateCommandTest {
    @TempDir
    Path dir;
    Path g;

    @BeforeEach
    void importGenerator() {
        g = dir.resolve("G.safetensors");
        Importer.importAny(Fixtures.file("p2p/tiny_net_G_global.pth"), Importer.Format.AUTO).network().write(g);
    }

    @Test
    void anArrayTranslatesToTheReferenceOutput() throws Exception {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("translate", "--model", g.toString(), "--input", Fixtures.file("p2p/tiny_A.npy").toString(),
                "--out", out.toString(), "--npy", "--batch", "2");
        assertEquals(0, r.exit(), r.err());
        Fixtures.assertClose(Fixtures.npy("p2p/tiny_G_global_out.npy"), Ops.array(Npy.read(out.resolve("images.npy"))), "images.npy");
        assertTrue(Files.exists(out.resolve("000000.png")) && Files.exists(out.resolve("000001.png")));
    }

    @Test
    void imagesAreResizedToTheNetworksMultipleOrToSize() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        ImageIO.write(new BufferedImage(30, 21, BufferedImage.TYPE_INT_RGB), "png", in.resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(16, 40, BufferedImage.TYPE_INT_RGB), "jpg", in.resolve("b.jpg").toFile());
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("translate", "--model", g.toString(), "--images", in.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        BufferedImage a = ImageIO.read(out.resolve("a.png").toFile());
        assertEquals(32, a.getWidth());        // 30 -> nearest multiple of 4
        assertEquals(20, a.getHeight());       // 21 -> 20
        assertEquals(40, ImageIO.read(out.resolve("b.png").toFile()).getHeight());

        Path out2 = dir.resolve("out2");
        r = CliRun.of("translate", "--model", g.toString(), "--images", in.toString(), "--out", out2.toString(),
                "--size", "24x12", "--npy", "--batch", "2");
        assertEquals(0, r.exit(), r.err());
        Tensor all = Npy.read(out2.resolve("images.npy"));
        assertArrayEquals(new long[] {2, 3, 12, 24}, all.shape());

        r = CliRun.of("translate", "--model", g.toString(), "--images", in.toString(), "--out", dir.resolve("x").toString(),
                "--size", "25x12");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not a multiple of 4"), r.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void inspectAndExportWorkOnPix2PixHDGenerators() throws Exception {
        CliRun r = CliRun.of("inspect", g.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pix2pixHD generator (netG global, input_nc 3, output_nc 3, ngf 8"), r.out());
        assertTrue(r.out().contains("model/19/weight"), r.out());
        Path fb = dir.resolve("G.fb");
        r = CliRun.of("export", "--model", g.toString(), "--out", fb.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("'input'") && r.out().contains("'output'"), r.out());
        var sd = org.nd4j.autodiff.samediff.SameDiff.load(fb.toFile(), true);
        var y = sd.output(java.util.Map.of("input", Fixtures.npy("p2p/tiny_A.npy")), "output").get("output");
        Fixtures.assertClose(Fixtures.npy("p2p/tiny_G_global_out.npy"), y, "exported");
    }
}
