package io.ukiyoe.cli;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.UserError;
import io.ukiyoe.core.cluster.Cluster;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.training.distill.PairsConfig;
import io.ukiyoe.training.distill.PairsJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe bench pairs}: distill pairs' throughput in this JVM and, with --spark, on a Spark master. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = "Time 'distill pairs' on two random config-f models: pairs/s here and, with --spark, on Spark "
                + "(the same pairs, shards of --shard-size); prints the ratio last.")
final class BenchPairsCommand implements Callable<Integer> {
    @Option(names = "--resolution", defaultValue = "256", description = "Model resolution (default: ${DEFAULT-VALUE}).")
    int resolution;

    @Option(names = "--pairs", defaultValue = "16", description = "Pairs per run (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--shard-size", defaultValue = "4", description = "Pairs per shard, a Spark task each (default: ${DEFAULT-VALUE}).")
    int shardSize;

    @Mixin
    SparkOption spark = new SparkOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (resolution < 4 || resolution > 1024 || Integer.bitCount(resolution) != 1 || pairs < 1 || shardSize < 1) {
            throw new UserError("bench pairs: resolution must be a power of two in [4, 1024], pairs and shard size positive", 2, null);
        }
        var out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("ukiyoe-bench-pairs");
        try {
            StyleGanConfig c = StyleGanConfig.of(resolution, 512, 512, 8, StyleGanConfig.adaChannels(resolution, 32768, 512));
            Path base = dir.resolve("base.safetensors");
            Path blended = dir.resolve("blended.safetensors");
            BenchCommand.randomModel(c, 7).write(base);
            BenchCommand.randomModel(c, 8).write(blended);
            out.printf("config-f models at %d px, %d pairs in shards of %d%n", resolution, pairs, shardSize);
            PairsJob.run(config(base, blended, dir.resolve("warm-up"), Math.min(pairs, 2)), new PairsJob.Listener() {});
            double plain = pairsPerSecond(config(base, blended, dir.resolve("plain"), pairs), Cluster.local());
            out.printf(Locale.ROOT, "pairs/s here: %.3f%n", plain);
            if (spark.master != null) {
                try (Cluster cluster = spark.open()) {
                    PairsJob.run(config(base, blended, dir.resolve("warm-up-spark"), Math.min(pairs, 2)),
                            new PairsJob.Listener() {}, cluster);   // executors load the models once
                    double onSpark = pairsPerSecond(config(base, blended, dir.resolve("spark"), pairs), cluster);
                    out.printf(Locale.ROOT, "pairs/s on %s: %.3f%n", cluster.describe(), onSpark);
                    out.printf(Locale.ROOT, "ratio: %.2f%n", onSpark / plain);
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private PairsConfig config(Path base, Path blended, Path out, int n) {
        return new PairsConfig(base.toString(), blended.toString(), Seeds.parse("0-" + (n - 1)), 0.7,
                PairsConfig.Noise.CONST, null, shardSize, Math.min(4, shardSize), null, out.toString());
    }

    private static double pairsPerSecond(PairsConfig c, Cluster cluster) {
        long t0 = System.nanoTime();
        PairsJob.Summary s = PairsJob.run(c, new PairsJob.Listener() {}, cluster);
        return s.written() / ((System.nanoTime() - t0) / 1e9);
    }
}
