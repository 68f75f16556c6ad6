package io.ukiyoe.graphs.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Discriminator;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfPklImportTest {
    @TempDir
    Path dir;

    @Test
    void tensorflowLayoutImportsToTheSameModel() throws Exception {
        StyleGanModel ros = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        Path pkl = dir.resolve("stylegan2-tiny.pkl");
        Files.write(pkl, TfPickleWriter.write(ros));
        StyleGanModel tf = Importer.importFile(pkl, Importer.Format.AUTO);
        assertEquals(ros.config(), tf.config());
        assertEquals(ros.tensors().keySet(), tf.tensors().keySet());
        ros.tensors().forEach((k, t) -> {
            float[] a = t.data();
            float[] b = tf.tensor(k).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6f * Math.max(1, Math.abs(a[i])), k + "[" + i + "]");
            }
        });
        Generator g = new Generator(tf);
        var z = Ops.array(Npy.read(Fixtures.file("rosinality_tiny_z.npy")));
        Fixtures.assertClose(Ops.array(Npy.read(Fixtures.file("rosinality_tiny_img_trunc1.npy"))),
                g.synthesis(g.ws(z, Generator.Truncation.NONE, null, 0), Generator.NoiseMode.CONST, 0), "tf img");
        Fixtures.assertClose(Ops.array(Npy.read(Fixtures.file("rosinality_tiny_d_logits_rand.npy"))),
                new Discriminator(tf).logits(Ops.array(Npy.read(Fixtures.file("rosinality_tiny_d_input_rand.npy")))),
                "tf D");
        assertTrue(tf.metadata().get("imported_from").contains("tf-pkl"));
        UserError wrong = assertThrows(UserError.class, () -> Importer.importFile(pkl, Importer.Format.ROSINALITY));
        assertTrue(wrong.getMessage().contains("looks like tf-pkl"), wrong.getMessage());
    }
}
