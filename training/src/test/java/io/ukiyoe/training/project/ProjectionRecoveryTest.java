package io.ukiyoe.training.project;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.graphs.Fixtures;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.graphs.vision.Lpips;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The acceptance: projecting an image the tiny fixture model generated from a known latent
 * recovers it, PSNR of the projection >= 6 dB above that of the mean-latent start image, with LPIPS
 * (the fixture's narrow, random VGG16) and with the pixel-pyramid fallback; both print the figures the
 * README quotes. W space, 150 steps.
 */
class ProjectionRecoveryTest {
    static final int STEPS = 150;
    private static StyleGanModel model;
    private static INDArray target;
    private static Lpips lpips;

    @BeforeAll
    static void load() {
        model = Importer.importFile(Fixtures.file("rosinality_tiny.pt"), Importer.Format.AUTO);
        lpips = Lpips.load(Fixtures.file("lpips/tiny_lpips_vgg16.pth"), Fixtures.file("lpips/tiny_lpips_lin.pth"));
        Generator g = new Generator(model);
        INDArray z = Fixtures.npy("projector/tiny_target_z.npy");            // a known latent
        target = g.synthesis(g.ws(z, Generator.Truncation.NONE, null, 0), Generator.NoiseMode.CONST, 0);
    }

    static double psnr(INDArray a, INDArray b) {
        double mse = a.sub(b).norm2Number().doubleValue();
        mse = mse * mse / a.length();
        return 10 * Math.log10(4 / mse);                // peak-to-peak 2 in [-1, 1]
    }

    private static double[] project(PerceptualLoss loss) {
        return project(loss, ProjectorSettings.DEFAULTS.withSteps(STEPS).withMeanSamples(2000));
    }

    private static double[] project(PerceptualLoss loss, ProjectorSettings s) {
        Projector p = new Projector(model, loss, s);
        Projector.Run run = p.start(target, p.latentStats(), null, null);
        double start = psnr(run.image(), target);
        while (!run.done()) {
            run.step();
        }
        INDArray last = run.image();
        return new double[] {start, psnr(last, target), lpips.distances(last, target).getDouble(0)};
    }

    @Test
    void lpipsProjectionRecoversAGeneratedImage() {
        // latent noise off: over a 150-step schedule the default noise (0.05 x std, decaying over 75 % of
        // the steps) leaves too few quiet steps (+2.7 dB measured); 1000 steps is the recipe's length
        double[] r = project(PerceptualLoss.lpips(lpips), ProjectorSettings.DEFAULTS.withSteps(STEPS).withMeanSamples(2000)
                .withLatentNoise(0));
        System.out.printf("LPIPS, W, latent noise 0, %d steps: PSNR mean-latent start %.2f dB, projection %.2f dB (+%.2f), LPIPS %.4f%n",
                STEPS, r[0], r[1], r[1] - r[0], r[2]);
        assertTrue(r[1] - r[0] >= 6, "PSNR " + r[0] + " -> " + r[1]);
    }

    @Test
    void pixelPyramidFallbackRecoversItToo() {
        double[] r = project(new PixelPyramidLoss());
        System.out.printf("pixel pyramid, W, %d steps: PSNR mean-latent start %.2f dB, projection %.2f dB (+%.2f), LPIPS %.4f%n",
                STEPS, r[0], r[1], r[1] - r[0], r[2]);
        assertTrue(r[1] - r[0] >= 6, "PSNR " + r[0] + " -> " + r[1]);
    }
}
