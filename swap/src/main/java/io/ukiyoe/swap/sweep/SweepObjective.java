package io.ukiyoe.swap.sweep;

import io.ukiyoe.core.UserError;
import io.ukiyoe.swap.sweep.BlendMeasures.Measures;

/**
 * The objective of a sweep (see {@link SweepConfig.Objective}): each term a fraction of the gap between
 * the two models, measured once: the base's style distances (SWD, FID, KID) and the target's structure
 * loss and pose change; plus {@link SweepRunner#BELOW_FLOOR} under the structure floor.
 */
record SweepObjective(SweepConfig.Objective weights, double styleGap, double structureGap, double poseGap, double fidGap,
                      double kidGap) {

    /** The gaps of the base's and the target's measures (the target's FID and KID are not needed). */
    static SweepObjective of(SweepConfig.Objective weights, Measures base, Measures target) {
        double kidGap = base.kidX1e3();
        if (weights.kid() > 0 && !(kidGap > 0)) {   // KID is unbiased: with few images it can be <= 0
            throw new UserError("objective.kid: the base's KID to the style reference is " + kidGap
                    + ", not positive, so the KID term has no gap to be a fraction of; use more style_images or objective.fid");
        }
        return new SweepObjective(weights, Math.max(base.swd(), 1e-9), Math.max(1 - target.correlation16(), 1e-9),
                Double.isNaN(target.yawDifference()) ? 1 : Math.max(target.yawDifference(), 1e-9),
                Math.max(base.fid(), 1e-9), kidGap);
    }

    /** The objective of a candidate's measures (lower is better). */
    double of(Measures m) {
        SweepConfig.Objective o = weights;
        double yaw = Double.isNaN(m.yawDifference()) ? 0 : m.yawDifference();
        double v = o.style() * m.swd() / styleGap + o.structure() * (1 - m.correlation16()) / structureGap
                + o.pose() * yaw / poseGap;
        if (o.fid() > 0) {
            v += o.fid() * m.fid() / fidGap;
        }
        if (o.kid() > 0) {
            v += o.kid() * m.kidX1e3() / kidGap;
        }
        return m.correlation16() < o.minCorrelation16() ? v + SweepRunner.BELOW_FLOOR : v;
    }
}
