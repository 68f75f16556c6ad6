package io.ukiyoe.training.distill;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.core.config.Schema.Range;

/**
 * {@code kind: pairs} — render the same latents through a base and a blended StyleGAN2 into
 * pix2pixHD's aligned layout (train_A = base, train_B = blended), the training data of a student.
 */
public record PairsConfig(
        String base,                                // model file rendering A, the "photo" (required)
        String blended,                             // model file rendering B, the ukiyo-e version (required)
        @Default("0-999") Seeds seeds,              // pair i comes from seed i (numpy z), whatever the sharding
        @Default("0.7") double truncation,          // truncation psi towards w_avg, every layer (1 = none)
        @Default("const") Noise noise,              // const (stored maps, the base's for A and B) | random (seeded by the seed) | none
        @Default("null") @Positive Integer size,    // output size in pixels; null = the models' resolution (else Lanczos)
        @Default("1000") @Positive int shardSize,   // pairs per shard: the unit of atomic writes and resume
        @Default("4") @Positive int batch,          // pairs per forward pass (as 'generate --batch'; part of the settings a resume checks)
        @Default("null") Filter filter,             // optional: drop pairs whose B lost A's structure
        String out) {                               // output folder (required; a run resumes in it)

    /** Which noise maps both models get. */
    public enum Noise { CONST, RANDOM, NONE }

    /** Pairs below {@code min_structure} are not written (the manifest lists them). */
    public record Filter(
            @Default("0") @Range(min = -1, max = 1) double minStructure) {} // least Pearson correlation of A and B area-downsampled to 16 px
}
