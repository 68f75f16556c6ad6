package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.config.Schema.Default;
import io.ukiyoe.core.config.Schema.NonNegative;
import io.ukiyoe.core.config.Schema.Positive;
import io.ukiyoe.core.config.Schema.Range;
import io.ukiyoe.swap.BlendOptions;
import java.nio.file.Path;
import java.util.List;

/** {@code kind: sweep} — search blend schedules, scored by style distance and structure preservation. */
public record SweepConfig(
        @Default("null") String name,                   // suffix of the run folder name
        Path base,                                      // original model (structure reference)
        Path target,                                    // fine-tuned model
        @Default("null") Path styleData,                // images of the target domain for SWD; null = the target's own images
        @Default("{}") Space space,                     // the schedules to search
        @Default("random") Search search,               // random | grid | genetic candidate generator
        @Default("5") @Positive int gridPoints,          // grid: values per continuous parameter
        @Default("20") @Positive int candidates,        // stop after this many candidates
        @Default("null") Double maxMinutes,             // also stop after this many minutes; null = no limit
        @Default("{}") Objective objective,             // what "better" means (lower is better)
        @Default("{}") Metrics metrics,                 // FID / KID of every candidate (needs the Inception weights)
        @Default("0-31") Seeds seeds,                   // latents for structure and pose, same for every candidate
        @Default("128") @Positive int styleImages,      // generated images per candidate for SWD
        @Default("0.7") @Range(min = 0, max = 1) double truncation, // psi for every image
        @Default("base") BlendOptions.Source mapping,   // mapping network of the blends: base | target
        @Default("base") BlendOptions.Side noise,       // noise maps of the blends: base | target
        @Default("6") @Positive int topK,               // rows of the contact sheet
        @Default("1") @Positive long seed,              // seed of the candidate generator and of SWD sampling
        Path out) {                                     // the best blend's model file

    /** The candidate generators. */
    public enum Search { RANDOM, GRID, GENETIC }

    /** Search space; every list must be non-empty for the schedule types that use it. */
    public record Space(
            @Default("[swap, sigmoid]") List<String> schedules,    // swap | swap-pinkney | sigmoid | linear | uniform | table
            @Default("[]") List<Integer> resolutions,             // discrete resolutions; [] = all of the model's
            @Default("{min: 0.3, max: 2.0}") Interval width,      // sigmoid width
            @Default("[0, 1]") List<Integer> levels,              // sigmoid / swap-pinkney level
            @Default("{min: 0.0, max: 1.0}") Interval alpha) {}   // uniform alpha and table entries

    /** A continuous range. */
    public record Interval(double min, double max) {
        public Interval {
            if (!(max >= min)) {
                throw new IllegalArgumentException("needs min <= max, got " + min + " and " + max);
            }
        }
    }

    /**
     * Both terms are fractions of the gap between the two models, so the weights mean what they say:
     * objective = style x SWD(blend, style) / SWD(base, style)              (1 for the base, near 0 for the target)
     *           + structure x (1 - corr16(blend)) / (1 - corr16(target))    (0 for the base, 1 for the target)
     *           + pose x |yaw difference| / |yaw difference of the target|
     *           + fid x FID(blend, style) / FID(base, style) + kid x KID(blend, style) / KID(base, style),
     * plus {@link SweepRunner#BELOW_FLOOR} for a blend whose correlation with the base at 16 px is under
     * {@code min_correlation16}: such blends have lost the face they were meant to keep, and rank last.
     */
    public record Objective(
            @Default("1.0") @NonNegative double style,      // weight of the remaining style distance to the target domain
            @Default("0.25") @NonNegative double structure, // weight of the structure lost against the base (the floor guards it; this breaks ties)
            @Default("0.0") @NonNegative double pose,       // weight of the pose change against the base
            @Default("0.0") @NonNegative double fid,        // weight of the remaining FID to the style domain (needs metrics.inception)
            @Default("0.0") @NonNegative double kid,        // weight of the remaining KID to the style domain (needs metrics.inception)
            @Default("0.8") @Range(min = 0, max = 1) double minCorrelation16) {} // structure floor; 0 = none

    /**
     * FID and KID with pytorch-fid's Inception: with {@code inception} set, every candidate's
     * {@code style_images} generated images (seeds 0..n-1, the sweep's truncation) against the style
     * reference (those images of {@code style_data} at their own size, or the target's images), into
     * results.csv; the objective weighs them with {@code objective.fid} / {@code objective.kid}.
     */
    public record Metrics(
            @Default("null") Path inception,                // pt_inception-2015-12-05-6726825d.pth or its imported .safetensors; null = no FID / KID
            @Default("32") @Positive int batch,             // images per Inception pass
            @Default("100") @Positive int kidSubsets,       // KID: random subsets (stylegan2-ada: 100)
            @Default("1000") @Positive int kidSubsetSize) {} // KID: largest subset (stylegan2-ada: 1000)
}
