package io.ukiyoe.training.cyclegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.training.cyclegan.CycleGanNets.Net;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.JsonNode;

/** One CycleGAN step (pools off) against the reference fixtures: images, every loss term, every gradient. */
class CycleGanGraphsTest {
    static final List<String> IMAGES = List.of("fake_B", "rec_A", "fake_A", "rec_B", "idt_A", "idt_B");
    static CycleGanNets nets;
    static CycleGanGraphs.StepResult r;

    static CycleGanNets fixtureNets() {
        Map<Net, Map<String, Tensor>> t = new EnumMap<>(Net.class);
        for (Net n : Net.values()) {
            t.put(n, CycleGanNets.read(Fixtures.file("cyclegan/latest_net_" + n + ".pth")));
        }
        return CycleGanNets.of(t);
    }

    static INDArray npy(String name) {
        return Fixtures.npy("cyclegan/tiny_" + name + ".npy");
    }

    @BeforeAll
    static void run() {
        nets = fixtureNets();
        r = CycleGanGraphs.step(nets, Lambdas.DEFAULT, npy("real_A"), npy("real_B"), IMAGES);
    }

    @Test
    void imagesMatch() {
        for (String k : IMAGES) {
            Fixtures.assertClose(npy(k), r.images().get(k), k);
        }
    }

    @Test
    void everyLossTermMatches() {
        JsonNode ref = Fixtures.json("cyclegan/tiny_losses.json");
        assertEquals(List.of("loss_G_A", "loss_G_B", "loss_cycle_A", "loss_cycle_B", "loss_idt_A", "loss_idt_B", "loss_G",
                "loss_D_A", "loss_D_B", "loss_D_A_real", "loss_D_A_fake", "loss_D_B_real", "loss_D_B_fake"),
                List.copyOf(r.losses().keySet()));
        r.losses().forEach((k, v) -> {
            double e = ref.get(k).asDouble();
            assertEquals(e, v, 1e-4 * Math.max(1, Math.abs(e)), k);
        });
    }

    /**
     * Each gradient within 1e-3 of its tensor's largest reference magnitude. Biases of convs followed by
     * instance norm have no true gradient (the reference holds float32 round-off there): those are
     * compared absolutely, against 1e-3 of the largest gradient of the same network.
     */
    @Test
    void everyGradientMatches() {
        for (Net n : Net.values()) {
            Map<String, Tensor> ref = Npy.readNpz(Fixtures.file("cyclegan/tiny_grads_" + n + ".npz"));
            Map<String, Tensor> mine = r.grads().get(n);
            assertEquals(ref.size(), mine.size(), n + " tensor count");
            double netMax = ref.values().stream().mapToDouble(CycleGanGraphsTest::amax).max().orElseThrow();
            Set<String> zeroTrueGrad = normedBiases(n);
            ref.forEach((key, t) -> {
                Tensor m = mine.get(key.replace('.', '/'));
                assertTrue(m != null && m.sameShape(t), n + " " + key + " missing or mis-shaped");
                double diff = 0;
                for (int i = 0; i < t.data().length; i++) {
                    diff = Math.max(diff, Math.abs(t.data()[i] - m.data()[i]));
                }
                double tol = 1e-3 * (zeroTrueGrad.contains(key) ? netMax : amax(t));
                assertTrue(diff <= tol, n + " " + key + ": max |diff| " + diff + " > " + tol);
            });
        }
    }

    private static Set<String> normedBiases(Net n) {
        if (n.generator()) { // every conv bias but the last 7x7's
            return Set.of("model.1.bias", "model.4.bias", "model.7.bias", "model.10.conv_block.1.bias",
                    "model.10.conv_block.5.bias", "model.11.conv_block.1.bias", "model.11.conv_block.5.bias",
                    "model.12.bias", "model.15.bias");
        }
        return Set.of("model.2.bias", "model.5.bias", "model.8.bias");
    }

    static double amax(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
