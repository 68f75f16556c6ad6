package io.ukiyoe.training.project;

import io.ukiyoe.graphs.vision.Lpips;
import java.nio.file.Path;

/**
 * The {@code lpips:} key of projection configs: LPIPS (VGG16 net-lin v0.1) from the two files people
 * have; no weights are downloaded.
 */
public record LpipsFiles(
        Path vgg,                  // torchvision's vgg16 state dict (features.N.weight/bias are read)
        Path lin) {                // the lpips package's weights/v0.1/vgg.pth (lin0..lin4)

    public PerceptualLoss loss() {
        return PerceptualLoss.lpips(Lpips.load(vgg, lin));
    }

    /** LPIPS when its files are given, else the pixel-pyramid fallback that needs only the model. */
    public static PerceptualLoss lossOf(LpipsFiles files) {
        return files != null ? files.loss() : new PixelPyramidLoss();
    }
}
