package io.ukiyoe.training.sweep;

import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.Positive;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kind: sweep} with {@code target: train} — search training settings: each candidate is a
 * short fine-tune (the {@code train} config with the candidate's settings) in its own run folder,
 * scored by the distance of its G_ema's images to the training data.
 */
public record TrainSweepConfig(
        @Default("null") String name,                   // suffix of the run folder name
        String target,                                  // "train" (a blend sweep names its target model here)
        Path train,                                     // the kind: train config every candidate starts from
        @Default("{}") Space space,                     // the settings to search
        @Default("random") Search search,               // random | grid
        @Default("8") @Positive int candidates,         // stop after this many candidates
        @Default("null") Double maxMinutes,             // also stop after this many minutes; null = no limit
        @Default("swd") Objective objective,            // swd | fid | kid: the score to minimise
        @Default("[]") List<String> metrics,            // also compute fid / kid (metrics.* of the train config: inception weights)
        @Default("256") @Positive int images,           // generated (and at most this many real) images for SWD
        @Default("4") @Positive int topK,               // rows of the contact sheet (the best candidates' last fakes grid)
        @Default("1") @Positive long seed) {            // seed of the candidate generator and of SWD sampling

    /** Candidate generators. */
    public enum Search { RANDOM, GRID }

    /** Scores (lower is better). */
    public enum Objective { SWD, FID, KID }

    /** Values to try per setting; an empty list keeps the train config's value. */
    public record Space(
            @Default("[]") List<Double> learningRate,       // training.learning_rate
            @Default("[]") List<Double> r1Gamma,            // training.r1_gamma
            @Default("[]") List<Integer> freezeGeneratorUpTo, // freeze.generator_up_to (0 = none)
            @Default("[]") List<Double> adaTarget,          // training.augment.target
            @Default("[]") List<Double> kimg) {}            // training.kimg
}
