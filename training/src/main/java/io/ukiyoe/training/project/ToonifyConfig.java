package io.ukiyoe.training.project;

import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.NonNegative;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.data.align.LandmarkFiles;
import java.nio.file.Path;

/**
 * {@code kind: toonify} — photos to their ukiyo-e version: faces aligned (from landmarks or found by
 * MTCNN), projected into the base model, the found latent and noise maps rendered by the blended
 * model, and optionally the distilled student run on each aligned face.
 */
public record ToonifyConfig(
        Path base,                                  // the model projected into, e.g. FFHQ (required)
        Path blended,                               // the blended model that renders the latents: the base's architecture (required)
        Path images,                                // photo file, folder or .zip (required)
        @Default("null") Path detector,             // MTCNN weights folder (pnet.pt, rnet.pt, onet.pt): every face of every photo
        @Default("null") Landmarks landmarks,       // or faces from a landmarks file; neither: each photo centre-cropped as it is
        @Default("null") Path student,              // pix2pixHD student (distill train) also run on each aligned face
        @Default("null") LpipsFiles lpips,          // perceptual loss weights; null = the pixel-pyramid fallback
        @Default("{}") Projection projection,       // the projector's recipe (rosinality's projector.py defaults)
        @Default("false") boolean video,            // also NAME.mp4 of each optimisation (target | projection)
        Path out) {                                 // output folder (required)

    /** A landmarks file (keyed by image file name) or a folder of per-image files. */
    public record Landmarks(
            Path file,                              // the file or folder (e.g. data detect's landmarks.json)
            LandmarkFiles.Format format) {}         // rekognition | dlib68 | five-point

    /** The projector's settings that a toonify run chooses. */
    public record Projection(
            @Default("1000") @Positive int steps,           // Adam steps of the schedule
            @Default("false") boolean wPlus,                // one latent per layer (W+) instead of one w
            @Default("0.05") @NonNegative double latentNoise, // latent noise scale times the latents' std (projector.py's --noise)
            @Default("0") @NonNegative double mse,          // weight of a pixel MSE term (projector.py's --mse)
            @Default("1") long seed) {                      // seed of the mean latent, start noise maps and latent noise

        public ProjectorSettings settings() {
            return ProjectorSettings.DEFAULTS.withSteps(steps).withWPlus(wPlus).withLatentNoise(latentNoise).withMse(mse)
                    .withSeed(seed);
        }
    }
}
