package io.ukiyoe.training.cyclegan;

import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.NonNegative;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.core.config.Schema.Range;

/**
 * {@code kind: cyclegan} — train a CycleGAN on two unpaired image sets (A -> B and B -> A), with
 * CycleGANModel's losses, image pools and learning-rate schedule.
 */
public record CycleGanConfig(
        @Default("null") String name,                   // suffix of the run folder name; none by default
        @Default("1") @Positive long seed,               // seed of every random stream (init, data order, crops, pools)
        @Default("{}") Model model,                      // network widths and depths
        Data data,                                       // the two image sets (required)
        @Default("{}") Training training,                // losses, optimiser and schedule
        @Default("{}") Snapshots snapshots) {            // checkpoints and sample grids

    /** Architecture (CycleGAN's defaults: resnet_9blocks, basic D). */
    public record Model(
            @Default("64") @Positive int ngf,            // generator channels after the first conv (x2 per downsampling)
            @Default("9") @NonNegative int nBlocks,      // residual blocks of each generator (9: resnet_9blocks, 6: resnet_6blocks)
            @Default("64") @Positive int ndf,            // discriminator channels of its first conv
            @Default("3") @Positive int nLayers) {}      // discriminator stride-2 layers (3: PatchGAN 70x70 at 256 px)

    /** Where the images come from; both sets are read at {@code load_size} and cropped to {@code crop_size}. */
    public record Data(
            String a,                                    // domain A: image folder, zip or prepared dataset (required)
            String b,                                    // domain B: likewise (required)
            @Default("256") @Positive int loadSize,      // images are resized (centre-cropped to square) to this size
            @Default("null") Integer cropSize,           // random crop of this size per image and step; null = load_size (no crop)
            @Default("true") boolean xflip) {            // add mirrored copies of every image

        public int crop() {
            return cropSize == null ? loadSize : cropSize;
        }
    }

    /** CycleGANModel's optimisation settings. */
    public record Training(
            @Default("1") @Positive int batch,           // images per domain per step
            @Default("100") @NonNegative int nEpochs,     // epochs at the initial learning rate
            @Default("100") @NonNegative int nEpochsDecay, // epochs of linear decay towards zero after those
            @Default("null") Integer epochSteps,         // steps per epoch; null = the larger set's size / batch
            @Default("0.0002") @Positive double learningRate, // Adam learning rate of G and D
            @Default("0.5") @Range(min = 0, max = 1) double beta1, // Adam beta1 (beta2 0.999)
            @Default("10") @NonNegative double lambdaA,  // cycle loss weight A -> B -> A
            @Default("10") @NonNegative double lambdaB,  // cycle loss weight B -> A -> B
            @Default("0.5") @NonNegative double lambdaIdentity, // identity loss weight, a fraction of lambda_A/B; 0 = off
            @Default("50") @NonNegative int poolSize) {  // fakes kept for the discriminators; 0 = this step's only

        public Lambdas lambdas() {
            return new Lambdas(lambdaA, lambdaB, lambdaIdentity);
        }
    }

    /** What the run writes as it goes. */
    public record Snapshots(
            @Default("500") @Positive int everySteps,    // a checkpoint and a sample grid every this many steps
            @Default("3") @Positive int keep,            // checkpoints kept (the newest); older ones are deleted
            @Default("4") @Positive int samples) {}      // images per domain in the sample grids (the sets' first ones)
}
