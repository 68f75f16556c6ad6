package io.ukiyoe.cli;

import io.ukiyoe.eval.Compare;
import io.ukiyoe.eval.StyleStructureMeasures;
import io.ukiyoe.eval.Swd;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.swap.sweep.BlendMeasures;
import io.ukiyoe.swap.sweep.SweepConfig;

/**
 * A blend sweep's measures as eval computes them: where the CLI wires eval into swap (which does not depend
 * on it). An enum, so that the one instance a work item carries to a Spark executor stays the one there.
 */
enum EvalBlendMeasures implements BlendMeasures.Factory {
    INSTANCE;

    @Override
    public int minResolution() {
        return Swd.MIN_RESOLUTION;
    }

    @Override
    public BlendMeasures prepare(SweepConfig c, StyleGanModel base, StyleGanModel target) {
        SweepConfig.Metrics m = c.metrics();
        StyleStructureMeasures eval = new StyleStructureMeasures(new StyleStructureMeasures.Options(c.styleData(),
                c.styleImages(), c.seeds().values(), c.truncation(), c.seed(), m.inception(), m.batch(), m.kidSubsets(),
                m.kidSubsetSize()), base, target);
        return (model, withFidKid) -> {
            StyleStructureMeasures.Measures r = eval.of(model, withFidKid);
            Compare.Result cmp = r.compare();
            return new BlendMeasures.Measures(r.swd(), r.fid(), r.kidX1e3(), cmp.correlation16(), cmp.ssim32(),
                    cmp.yawDifference());
        };
    }
}
