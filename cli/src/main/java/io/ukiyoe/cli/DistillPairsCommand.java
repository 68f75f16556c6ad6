package io.ukiyoe.cli;

import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.training.distill.PairsConfig;
import io.ukiyoe.training.distill.PairsJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ukiyoe distill pairs CONFIG.yaml} (kind: pairs): render A/B pairs; run it again to resume. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = "Render pair i from seed i through the base (train_A) and the blended model (train_B) in "
                + "pix2pixHD's aligned layout, with latents per shard and pairs.json (kind: pairs). Run the same "
                + "config again to continue an interrupted run from its first incomplete shard.")
final class DistillPairsCommand implements Callable<Integer> {
    @Mixin
    ConfigArgs config = new ConfigArgs();

    @Mixin
    SparkOption spark = new SparkOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig<PairsConfig> cfg = ExperimentConfig.load(config.file, config.overrides, Kinds.all(), "pairs",
                PairsConfig.class);
        var err = spec.commandLine().getErr();
        Progress[] bar = new Progress[1];
        PairsJob.validate(cfg.value());        // before Spark starts
        PairsJob.Summary s;
        try (io.ukiyoe.core.cluster.Cluster cluster = spark.open()) {
            s = run(cfg.value(), err, bar, cluster);
        }
        bar[0].done();
        spec.commandLine().getOut().printf("%d pairs in %d shards -> %s (%d dropped by the filter%s)%n", s.written(),
                s.shards(), cfg.value().out(), s.dropped(), s.shardsBefore() > 0 ? "; " + s.shardsBefore()
                        + " shards were done before" : "");
        return 0;
    }

    private static PairsJob.Summary run(PairsConfig c, java.io.PrintWriter err, Progress[] bar,
                                        io.ukiyoe.core.cluster.Cluster cluster) {
        return PairsJob.run(c, new PairsJob.Listener() {
            @Override
            public void started(long total, long alreadyDone) {
                if (alreadyDone > 0) {
                    err.printf("resuming: %d of %d pairs already done%n", alreadyDone, total);
                }
                bar[0] = new Progress(err, "pairs", total - alreadyDone, "pairs");
            }

            @Override
            public void rendered(long pairs) {
                bar[0].update(pairs);
            }
        }, cluster);
    }
}
