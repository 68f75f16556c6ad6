package io.ukiyoe.graphs.stylegan2;

import static io.ukiyoe.graphs.Fixtures.assertClose;
import static io.ukiyoe.graphs.Fixtures.npy;

import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscriminatorFixturesTest {
    @ParameterizedTest
    @CsvSource({
            "rosinality_tiny.pt, rosinality_tiny_img_trunc1.npy, rosinality_tiny_d_logits_trunc1.npy",
            "rosinality_tiny.pt, rosinality_tiny_img_trunc07.npy, rosinality_tiny_d_logits_trunc07.npy",
            "rosinality_tiny_legacy.pt, rosinality_tiny_img_mix.npy, rosinality_tiny_d_logits_mix.npy",
            "rosinality_tiny.pt, rosinality_tiny_d_input_rand.npy, rosinality_tiny_d_logits_rand.npy",
            "ada_tiny_snapshot.pkl, ada_tiny_img_psi1.npy, ada_tiny_d_logits_psi1.npy",
            "ada_tiny_snapshot.pkl, ada_tiny_img_psi07.npy, ada_tiny_d_logits_psi07.npy",
            "ada_tiny_snapshot.pkl, ada_tiny_d_input_rand.npy, ada_tiny_d_logits_rand.npy"})
    void logitsMatchTheReference(String model, String images, String logits) {
        Discriminator d = new Discriminator(Importer.importFile(Fixtures.file(model), Importer.Format.AUTO));
        assertClose(npy(logits), d.logits(npy(images)), model + " " + logits);
    }
}
