package io.ukiyoe.training;

import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.NonNegative;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.core.config.Schema.PowerOfTwo;
import io.ukiyoe.core.config.Schema.Range;

/**
 * {@code kind: train} — train a StyleGAN2 from scratch or fine-tune one.
 */
public record TrainConfig(
        @Default("null") String name,                  // suffix of the run folder name; none by default
        @Default("1") @Positive long seed,              // seed of every random stream (non-zero: ND4J's 0 is not repeatable)
        @Default("null") String resumeFrom,            // model file to fine-tune from; null = train from scratch
        @Default("{}") Architecture model,              // architecture when training from scratch
        Data data,                                      // the training images (required)
        @Default("{}") Training training,               // optimisation settings
        @Default("{}") Freeze freeze,                   // what stays fixed while fine-tuning
        @Default("{}") Snapshots snapshots,             // progress images and model files during the run
        @Default("{}") Metrics metrics) {               // FID / KID settings (snapshots.metrics turns them on)

    /** What the run writes as it goes. */
    public record Snapshots(
            @Default("1") @Positive double everyKimg,   // a checkpoint and a grid of fakes (EMA) every this many kimg
            @Default("3") @Positive int keep,           // checkpoints kept (the newest); older ones are deleted
            @Default("true") boolean tensorboard,       // also write TensorBoard events (events.out.tfevents.*)
            @Default("0-15") io.ukiyoe.core.Seeds seeds, // the grid's latents, the same every time
            @Default("[]") java.util.List<String> metrics) {} // at every snapshot, against data.path: fid, kid

    /** FID / KID with pytorch-fid's Inception (used when snapshots.metrics lists any). */
    public record Metrics(
            @Default("null") String inception,          // pt_inception-2015-12-05-6726825d.pth or its imported .safetensors
            @Default("5000") @Positive int n,           // generated images per evaluation (seeds 0..n-1); real: at most n
            @Default("32") @Positive int batch,         // images per Inception pass
            @Default("100") @Positive int kidSubsets,   // KID: random subsets (stylegan2-ada: 100)
            @Default("1000") @Positive int kidSubsetSize, // KID: largest subset (stylegan2-ada: 1000)
            @Default("null") String cache) {}            // dataset statistics cache; null = ~/.cache/ukiyoe/fid-stats


    /** Generator/discriminator shape (ignored when fine-tuning: the model file has its own). */
    public record Architecture(
            @Default("256") @PowerOfTwo(min = 4, max = 1024) int resolution, // output size in pixels
            @Default("512") @Positive int zDim,         // latent z size
            @Default("512") @Positive int wDim,         // intermediate latent w size
            @Default("8") @Positive int nMlp,           // mapping network depth
            @Default("16384") @Positive int channelBase, // channels at resolution r = min(channel_base / r, channel_max)
            @Default("512") @Positive int channelMax) {} // upper bound on channels per layer

    /** Where the images come from. */
    public record Data(
            String path,                                // image folder, zip, or prepared dataset (required)
            @Default("true") boolean xflip) {}          // add mirrored copies of every image

    /** Losses and optimiser. */
    public record Training(
            @Default("1000") @Positive double kimg,     // length of training in thousands of real images shown
            @Default("8") @Positive int batch,          // images per step
            @Default("0.002") @Positive double learningRate, // Adam learning rate for G and D
            @Default("10") @NonNegative double r1Gamma,  // R1 weight gamma; 0 disables R1
            @Default("16") @Positive int r1Interval,    // lazy regularisation: R1 every N minibatches
            @Default("2") @NonNegative double plWeight, // path-length weight (the references': rosinality --path_regularize 2, ada pl_weight 2); 0: off
            @Default("4") @Positive int plInterval,     // lazy regularisation: path length every N minibatches
            @Default("2") @Positive int plBatchShrink,  // path-length batch = batch / this (at least 1)
            @Default("0.01") @Range(min = 0, max = 1) double plDecay, // speed of the running mean of path lengths
            @Default("0.9") @Range(min = 0, max = 1) double styleMixing, // probability of style mixing per batch
            @Default("10") @Positive double emaKimg,    // G EMA half-life in kimg
            @Default("null") Double emaRampup,          // ramp-up: half-life <= rampup x kimg so far (0.05 in ada); null = none
            @Default("{}") Augmentation augment) {}     // ADA: augment what D sees (reals and fakes)

    /** Adaptive discriminator augmentation (stylegan2-ada's pipelines; 'bgc' is its default). */
    public record Augmentation(
            @Default("off") AugmentMode mode,           // off | ada (p adapts to D's overfitting) | fixed (p stays)
            @Default("0") @Range(min = 0, max = 1) double p, // probability of each transform: the start (ada) or the value (fixed)
            @Default("0.6") @Range(min = 0, max = 1) double target, // ada: wanted mean sign of D's logits on reals
            @Default("4") @Positive int interval,       // ada: adjust p every N minibatches
            @Default("500") @Positive double adaKimg,   // ada: kimg for p to move from 0 to 1 at full speed
            @Default("bgc") Augment.Pipe pipe) {}       // bgc (blit, geometric, colour) | bgcf (+ band filter) | bgcfn (+ noise) | bgcfnc (+ cutout)

    /** How augmentation probability is chosen. */
    public enum AugmentMode { OFF, ADA, FIXED }

    /** Freezing for fine-tuning. */
    public record Freeze(
            @Default("0") @NonNegative int generatorUpTo, // keep generator layers at resolution <= this; 0 = none
            @Default("false") boolean trainMapping,     // train the mapping network even when generator_up_to > 0
            @Default("0") @NonNegative int discriminatorLayers) {} // freeze D's first N layers (FreezeD)
}
