package io.ukiyoe.training.distill;

import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.Key;
import io.ukiyoe.core.config.Schema.NonNegative;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.core.config.Schema.Range;
import io.ukiyoe.training.PairAugment;

/**
 * {@code kind: distill} — train a pix2pixHD student on aligned pairs (A: what the user gives, B: what
 * the student should make of it), with pix2pixHD's losses, optimiser and schedule.
 */
public record DistillConfig(
        @Default("null") String name,                   // suffix of the run folder name; none by default
        @Default("1") @Positive long seed,               // seed of every random stream (init, data order, augmentation)
        @Default("null") String initFrom,                // start G from this student (.safetensors or latest_net_G.pth); null = fresh
        @Default("null") String vgg19,                   // torchvision VGG19 weights: adds pix2pixHD's VGG loss; null = off
        @Default("{}") Model model,                      // network widths and depths
        Data data,                                       // the pairs (required)
        @Default("{}") Training training,                // losses, optimiser and schedule
        @Default("{}") PairAugment.Settings augment,     // augmentation of the pairs (all 0 and flip false: none)
        @Default("{}") Snapshots snapshots,             // checkpoints, sample grids, TensorBoard
        @Default("{}") Metrics metrics) {                // FID / KID settings (snapshots.metrics turns them on)

    /** Architecture (pix2pixHD's defaults: netG global, 4 downsamplings, 9 blocks; D 2 scales of 3 layers). */
    public record Model(
            @Key("netG") @Default("global") String netG, // global, or local: one local enhancer around a global part of 2 x ngf
            @Default("3") @NonNegative int nBlocksLocal, // residual blocks of the local enhancer (netG local)
            @Default("64") @Positive int ngf,            // generator channels after the first conv (the enhancer's for netG local)
            @Default("4") @NonNegative int nDownsampling, // generator stride-2 convs (n_downsample_global; ignored with init_from)
            @Default("9") @NonNegative int nBlocks,      // generator residual blocks (n_blocks_global; ignored with init_from)
            @Default("64") @Positive int ndf,            // discriminator channels of its first conv
            @Default("2") @Positive int numD,            // discriminator scales (num_D)
            @Default("3") @Positive int nLayers) {}      // stride-2 layers per scale (n_layers_D)

    /** Where the pairs are. */
    public record Data(
            String pairs,                                // folder with train_A/ and train_B/ (same file names; required)
            @Default("null") Integer size,               // both images resized (square crop) to this; null = the first A image's width
            @Default("8") @Positive int heldOut) {}      // the last pairs by name, never trained on: sample grids and held-out error

    /** pix2pixHD's optimisation settings. */
    public record Training(
            @Default("1") @Positive int batch,           // pairs per step
            @Default("100") @NonNegative int niter,      // epochs at the initial learning rate
            @Default("100") @NonNegative int niterDecay, // epochs of linear decay to zero after those
            @Default("0") @NonNegative int niterFixGlobal, // netG local: epochs training only the enhancer (global part fixed)
            @Default("null") Integer epochSteps,         // steps per epoch; null = training pairs / batch
            @Default("0.0002") @Positive double learningRate, // Adam learning rate of G and D
            @Default("0.5") @Range(min = 0, max = 1) double beta1, // Adam beta1 (beta2 0.999)
            @Default("10") @NonNegative double lambdaFeat, // weight of feature matching and of the VGG loss
            @Default("0") @NonNegative double lambdaL1) {} // weight of an L1 term mean |student(A) - B| (pix2pix's; 0 = pix2pixHD's recipe)

    /** What the run writes as it goes. */
    public record Snapshots(
            @Default("500") @Positive int everySteps,    // a checkpoint, a sample grid and the held-out error every this many steps
            @Default("3") @Positive int keep,            // checkpoints kept (the newest); older ones are deleted
            @Default("8") @Positive int samples,         // held-out pairs in the sample grids (A | student | B)
            @Default("true") boolean tensorboard,        // write TensorBoard events beside metrics.jsonl
            @Default("[]") java.util.List<String> metrics) {} // at every snapshot, student(held-out A) against held-out B: fid, kid

    /** FID / KID with pytorch-fid's Inception (used when snapshots.metrics lists any). */
    public record Metrics(
            @Default("null") String inception,           // pt_inception-2015-12-05-6726825d.pth or its imported .safetensors
            @Default("32") @Positive int batch,          // images per Inception pass
            @Default("100") @Positive int kidSubsets,    // KID: random subsets (stylegan2-ada: 100)
            @Default("1000") @Positive int kidSubsetSize) {} // KID: largest subset (stylegan2-ada: 1000)
}
