package io.ukiyoe.cli;

import static io.ukiyoe.cli.ModelCommandsTest.FIX;
import static io.ukiyoe.cli.ModelCommandsTest.assertClose;
import static io.ukiyoe.cli.ModelCommandsTest.npy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --format rosinality-pt | safetensors-ada}, and {@code generate --ws} from stylegan2-ada's projected_w.npz. */
class TorchExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void rosinalityExportGeneratesTheReferenceImages() {
        Path pt = dir.resolve("tiny.pt");
        CliRun e = CliRun.of("export", "--model", FIX.resolve("rosinality_tiny.pt").toString(), "--format", "rosinality-pt",
                "--out", pt.toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("Generator(size=32, style_dim=64, n_mlp=2)"), e.out());
        Path out = dir.resolve("gen");
        CliRun g = CliRun.of("generate", "--model", pt.toString(), "--z", FIX.resolve("rosinality_tiny_z.npy").toString(),
                "--out", out.toString(), "--npy");
        assertEquals(0, g.exit(), g.err());
        assertClose(npy(FIX.resolve("rosinality_tiny_img_trunc1.npy")), npy(out.resolve("images.npy")), "from the export");
    }

    @Test
    void adaSafetensorsGenerateTheReferenceImages() {
        Path st = dir.resolve("tiny-ada.safetensors");
        CliRun e = CliRun.of("export", "--model", FIX.resolve("ada_tiny_snapshot.pkl").toString(), "--format",
                "safetensors-ada", "--out", st.toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("\"channel_base\":1024"), e.out());
        Path out = dir.resolve("gen");
        CliRun g = CliRun.of("generate", "--model", st.toString(), "--z", FIX.resolve("ada_tiny_z.npy").toString(),
                "--out", out.toString(), "--npy");
        assertEquals(0, g.exit(), g.err());
        assertClose(npy(FIX.resolve("ada_tiny_img_psi1.npy")), npy(out.resolve("images.npy")), "from the ada export");
    }

    @Test
    void unknownFormatIsAUsageError() {
        Path out = dir.resolve("x.pt");
        CliRun e = CliRun.of("export", "--model", FIX.resolve("rosinality_tiny.pt").toString(), "--format", "tensorflow",
                "--out", out.toString());
        assertEquals(2, e.exit());
        assertTrue(e.err().contains("--format: unknown format 'tensorflow'"), e.err());
        assertFalse(Files.exists(out));
        CliRun t = CliRun.of("export", "--model", FIX.resolve("rosinality_tiny.pt").toString(), "--format", "rosinality-pt",
                "--truncation", "0.7", "--out", out.toString());
        assertEquals(2, t.exit());
        assertTrue(t.err().contains("--truncation applies to the SameDiff graph"), t.err());
        assertFalse(Files.exists(out));
    }

    /** projected_w.npz as stylegan2-ada's projector writes it: key 'w', [1, num_ws, w_dim]; also several rows. */
    @Test
    void generateReadsProjectedWNpz() throws Exception {
        Tensor ws = npy(FIX.resolve("ada_tiny_ws_psi07.npy"));            // [N, num_ws, w_dim]
        Tensor img = npy(FIX.resolve("ada_tiny_img_psi07.npy"));
        long[] s = ws.shape();
        int one = (int) (s[1] * s[2]);
        int pix = (int) (img.numel() / img.shape()[0]);
        Path single = dir.resolve("projected_w.npz");
        Npy.writeNpz(single, Map.of("w", new Tensor(new long[] {1, s[1], s[2]}, Arrays.copyOf(ws.data(), one))));
        Path out = dir.resolve("one");
        CliRun g = CliRun.of("generate", "--model", FIX.resolve("ada_tiny_snapshot.pkl").toString(), "--ws", single.toString(),
                "--out", out.toString(), "--npy");
        assertEquals(0, g.exit(), g.err());
        long[] imgShape = img.shape().clone();
        imgShape[0] = 1;
        assertClose(new Tensor(imgShape, Arrays.copyOf(img.data(), pix)), npy(out.resolve("images.npy")), "first row");

        Path batch = dir.resolve("many.npz");
        Npy.writeNpz(batch, Map.of("w", ws));
        Path outs = dir.resolve("many");
        assertEquals(0, CliRun.of("generate", "--model", FIX.resolve("ada_tiny_snapshot.pkl").toString(), "--ws",
                batch.toString(), "--out", outs.toString(), "--npy").exit());
        assertClose(img, npy(outs.resolve("images.npy")), "all rows");

        Path noW = dir.resolve("other.npz");
        Npy.writeNpz(noW, Map.of("latents", ws));
        CliRun bad = CliRun.of("generate", "--model", FIX.resolve("ada_tiny_snapshot.pkl").toString(), "--ws", noW.toString(),
                "--out", dir.resolve("bad").toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("no array 'w'") && bad.err().contains("[latents]"), bad.err());
    }
}
