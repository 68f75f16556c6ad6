package io.ukiyoe.swap.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ukiyoe.core.UserError;
import io.ukiyoe.swap.sweep.BlendMeasures.Measures;
import org.junit.jupiter.api.Test;

/** The objective on known measures: every term a fraction of the gap between base and target, and the floor. */
class SweepObjectiveTest {
    static final double NAN = Double.NaN;
    // the base: style distances 40 (SWD), 200 (FID), 8 (KID x1e3); the target: correlation 0.6, yaw 0.2
    static final Measures BASE = new Measures(40, 200, 8, 1, 1, 0);
    static final Measures TARGET = new Measures(5, NAN, NAN, 0.6, 0.5, 0.2);

    @Test
    void eachTermIsItsWeightTimesTheFractionOfTheGap() {
        SweepObjective o = SweepObjective.of(new SweepConfig.Objective(1, 0.5, 2, 0.25, 4, 0), BASE, TARGET);
        Measures m = new Measures(10, 50, 2, 0.9, 0.8, 0.05);
        double expected = 1 * 10 / 40.0 + 0.5 * (1 - 0.9) / (1 - 0.6) + 2 * 0.05 / 0.2 + 0.25 * 50 / 200.0 + 4 * 2 / 8.0;
        assertEquals(expected, o.of(m), 1e-12);
        // the base scores its style weights (every style gap is its own), the target its structure and pose weights
        assertEquals(1 + 0.25 + 4, o.of(BASE), 1e-12);
        SweepObjective styleAndStructure = SweepObjective.of(new SweepConfig.Objective(1, 0.5, 2, 0, 0, 0), BASE, TARGET);
        assertEquals(5 / 40.0 + 0.5 + 2, styleAndStructure.of(TARGET), 1e-12);
    }

    @Test
    void unweightedTermsAreNotMeasuredAndAnUnknownYawCountsAsNone() {
        SweepObjective o = SweepObjective.of(new SweepConfig.Objective(1, 0, 3, 0, 0, 0), BASE, new Measures(5, NAN, NAN, 0.6, 0.5, NAN));
        assertEquals(1.0, o.poseGap(), "no yaw of the target: the pose gap is 1");
        // FID / KID are NaN without Inception: with their weights 0 they do not enter the sum
        assertEquals(20 / 40.0 + 3 * 0.5, o.of(new Measures(20, NAN, NAN, 0.95, 0.9, 0.5)), 1e-12);
        assertEquals(20 / 40.0, o.of(new Measures(20, NAN, NAN, 0.95, 0.9, NAN)), 1e-12);
    }

    @Test
    void blendsUnderTheFloorRankAfterEveryBlendAboveIt() {
        SweepObjective o = SweepObjective.of(new SweepConfig.Objective(1, 0.25, 0, 0, 0, 0.8), BASE, TARGET);
        Measures above = new Measures(39, NAN, NAN, 0.8, 0.8, 0);
        Measures below = new Measures(1, NAN, NAN, 0.79, 0.8, 0);
        assertEquals(39 / 40.0 + 0.25 * 0.2 / 0.4, o.of(above), 1e-12);
        assertEquals(SweepRunner.BELOW_FLOOR + 1 / 40.0 + 0.25 * 0.21 / 0.4, o.of(below), 1e-12);
        assertTrue(o.of(below) > o.of(above));
    }

    @Test
    void gapsNeverDivideByZero() {
        SweepObjective o = SweepObjective.of(new SweepConfig.Objective(1, 1, 1, 0, 0, 0), new Measures(0, NAN, NAN, 1, 1, 0),
                new Measures(0, NAN, NAN, 1, 1, 0));
        assertEquals(1e-9, o.styleGap());
        assertEquals(1e-9, o.structureGap());
        assertEquals(1e-9, o.poseGap());
        assertEquals(0.0, o.of(new Measures(0, NAN, NAN, 1, 1, 0)));
    }

    @Test
    void aKidTermNeedsAPositiveKidOfTheBase() {
        var e = assertThrows(UserError.class, () -> SweepObjective.of(new SweepConfig.Objective(1, 0, 0, 0, 1, 0),
                new Measures(40, 200, -0.5, 1, 1, 0), TARGET));
        assertTrue(e.getMessage().startsWith("objective.kid:") && e.getMessage().contains("-0.5"), e.getMessage());
        SweepObjective.of(new SweepConfig.Objective(1, 0, 0, 0, 0, 0), new Measures(40, 200, -0.5, 1, 1, 0), TARGET);
    }
}
