package io.ukiyoe.training.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.graphs.vision.Lpips;
import io.ukiyoe.training.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.JsonNode;

/**
 * The projector against rosinality's projector.py on ../shared/fixtures/projector (tiny generator, the
 * narrow LPIPS of ../lpips, W+, latent noise 0): steps 0-2 in full (losses, image, gradients, Adam moments,
 * parameters after Adam and after renormalising) and the 50-step trajectory loosely (its README: the loss
 * curve within a few percent, p_loss decreasing).
 */
class ProjectorFixturesTest {
    private static StyleGanModel model;
    private static Lpips lpips;
    private static JsonNode results;
    private static final ProjectorSettings SETTINGS = ProjectorSettings.DEFAULTS.withLatentNoise(0).withWPlus(true);

    @BeforeAll
    static void load() {
        model = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        lpips = Lpips.load(Fixtures.file("lpips/tiny_lpips_vgg16.pth"), Fixtures.file("lpips/tiny_lpips_lin.pth"));
        results = Fixtures.json("projector/tiny_projector_results.json");
    }

    private static Map<String, Tensor> npz(String name) {
        return Npy.readNpz(Fixtures.file("projector/" + name));
    }

    private static Projector.Run start(Projector p) {
        Map<String, Tensor> init = npz("tiny_noises_init.npz");
        List<float[]> noise = new ArrayList<>();
        for (int k = 0; k < init.size(); k++) {
            noise.add(init.get("noise_" + k).data());
        }
        float[] latent = Npy.read(Fixtures.file("projector/tiny_latent_init.npy")).data();
        return p.start(Fixtures.npy("projector/tiny_target.npy"),
                new Projector.LatentStats(latent, results.get("latent_std").asDouble()), latent, noise);
    }

    /** max |a - b| <= tol * max |a| (or absolute when scale is false). */
    private static void close(float[] expected, float[] actual, double tol, boolean relative, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        double bound = relative ? tol * max : tol;
        assertTrue(diff <= bound, what + ": max |diff| " + diff + " > " + bound + " (max |ref| " + max + ")");
    }

    @Test
    void meanLatentFormulas() {
        INDArray w = new Generator(model).mapping(Fixtures.npy("projector/tiny_mean_check_z.npy"));
        INDArray ew = Fixtures.npy("projector/tiny_mean_check_w.npy");
        Fixtures.assertClose(ew, w, "mapped w");
        Projector.LatentStats st = Projector.LatentStats.of(ew);
        JsonNode mc = results.get("mean_check");
        assertEquals(mc.get("latent_std").asDouble(), st.std(), 1e-5 * st.std());
        for (int d = 0; d < st.mean().length; d++) {
            assertEquals(mc.get("mean_latent").get(d).asDouble(), st.mean()[d], 1e-5);
        }
    }

    @Test
    void firstThreeStepsMatchTheReference() {
        Projector p = new Projector(model, PerceptualLoss.lpips(lpips), SETTINGS);
        Projector.Run run = start(p).withDetail();
        for (int i = 0; i < 3; i++) {
            Projector.Step st = run.step();
            JsonNode ref = results.get("first_steps").get(i);
            assertEquals(ref.get("lr").asDouble(), st.lr(), 1e-12, "lr " + i);
            for (String k : new String[] {"p_loss", "n_loss", "mse_loss", "loss"}) {
                double e = ref.get(k).asDouble();
                double a = switch (k) {
                    case "p_loss" -> st.pLoss();
                    case "n_loss" -> st.nLoss();
                    case "mse_loss" -> st.mseLoss();
                    default -> st.loss();
                };
                assertEquals(e, a, 1e-5 * Math.abs(e), k + " at step " + i);
            }
            String pre = "tiny_step" + i + "_";
            Fixtures.assertClose(Fixtures.npy("projector/" + pre + "img_gen.npy"), st.image(), "img_gen " + i);
            Map<String, Tensor> grads = npz(pre + "grads.npz");
            Map<String, Tensor> adamRef = npz(pre + "adam_state.npz");
            Map<String, Tensor> afterAdam = npz(pre + "after_adam.npz");
            Map<String, Tensor> afterNorm = npz(pre + "after_normalize.npz");
            Adam.State adam = run.adamState();
            assertEquals(i + 1, adam.steps());
            Map<String, Tensor> now = run.state();
            for (String name : grads.keySet()) {
                close(grads.get(name).data(), st.detail().grads().get(name), 1e-3, true, "grad " + name + " step " + i);
                close(adamRef.get(name + "_exp_avg").data(), adam.m().get(name), 1e-3, true, "exp_avg " + name + " step " + i);
                close(adamRef.get(name + "_exp_avg_sq").data(), adam.v().get(name), 2e-3, true, "exp_avg_sq " + name + " step " + i);
                close(afterAdam.get(name).data(), st.detail().afterAdam().get(name), 1e-5, false, "after adam " + name + " step " + i);
                float[] normalized = name.equals("latent") ? now.get("w").data() : now.get(name).data();
                close(afterNorm.get(name).data(), normalized, 1e-5, false, "after normalize " + name + " step " + i);
            }
        }
    }

    @Test
    void fiftyStepTrajectoryAgreesLoosely() {
        Projector p = new Projector(model, PerceptualLoss.lpips(lpips), SETTINGS.withSteps(50));
        Projector.Run run = start(p);
        JsonNode ref = results.get("trajectory").get("per_step");
        double worst = 0;
        List<Double> pl = new ArrayList<>();
        long t0 = System.nanoTime();
        while (!run.done()) {
            Projector.Step st = run.step();
            JsonNode r = ref.get(st.step());
            assertEquals(r.get("lr").asDouble(), st.lr(), 1e-9, "lr " + st.step());
            double rel = Math.abs(st.loss() - r.get("loss").asDouble()) / r.get("loss").asDouble();
            worst = Math.max(worst, rel);
            pl.add(st.pLoss());
        }
        System.out.printf("trajectory: worst relative loss difference %.3g, %.3f s/step%n", worst,
                (System.nanoTime() - t0) / 1e9 / 50);
        assertTrue(worst < 0.05, "loss curve differs by " + worst);
        double finalRef = results.get("trajectory").get("final_p_loss").asDouble();
        double finalP = lpips.distances(run.image(), Fixtures.npy("projector/tiny_target.npy")).getDouble(0);
        System.out.printf("final p_loss %.6f (reference %.6f)%n", finalP, finalRef);
        assertEquals(finalRef, finalP, 0.05 * finalRef);
        assertTrue(pl.get(pl.size() - 1) < 0.5 * pl.get(0), "p_loss decreases: " + pl);
        Fixtures.assertClose(Fixtures.npy("projector/tiny_traj_final_img.npy"), run.image(), "final image");
    }
}
