package io.ukiyoe.swap.sweep;

import io.ukiyoe.graphs.model.StyleGanModel;
import java.io.Serializable;

/**
 * What a sweep measures of a model's images, prepared once per JVM for one sweep: the model's style
 * distance to the style reference and the structure it keeps of the base. The caller supplies it (the CLI
 * wires eval's metrics in), so swap depends on no metrics library; the objective, its gaps and the
 * structure floor stay here ({@link SweepObjective}).
 */
public interface BlendMeasures {

    /** One model's figures; NaN where not measured (FID and KID without Inception). */
    record Measures(double swd, double fid, double kidX1e3, double correlation16, double ssim32, double yawDifference) {}

    /**
     * A model's figures as the sweep's config asks for them; FID and KID only when {@code withFidKid}
     * (the target's row needs only its structure and pose, which saves an Inception pass).
     */
    Measures of(StyleGanModel model, boolean withFidKid);

    /**
     * Makes the measures of a sweep. Every work item carries its factory to the worker that scores it (a
     * Spark executor included), so it is Serializable: a named class without state of its own.
     */
    interface Factory extends Serializable {
        /** The smallest model resolution the measures take (checked before the sweep starts). */
        int minResolution();

        /** The measures of the sweep {@code c} (its style reference and structure seeds) for these models. */
        BlendMeasures prepare(SweepConfig c, StyleGanModel base, StyleGanModel target);
    }
}
