package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.core.run.Resumes;
import io.ukiyoe.core.run.RunFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code cyclegan train} and {@code distill train} share: a run started from a config (validated
 * before its folder exists; config.yaml and provenance written) or continued with {@code --resume} from
 * its newest complete checkpoint, with a progress bar; the trainer's own pieces come in a {@link Trainer}.
 */
final class GanTrainRuns {
    private GanTrainRuns() {}

    /** Trains from the start ({@code from} null) or from a checkpoint. */
    interface Train<T, K> {
        Object run(ExperimentConfig<T> cfg, RunFolder run, K from, IntConsumer total, IntConsumer progress);
    }

    /**
     * A trainer's entry points ({@code T} its config, {@code K} what its checkpoint reads back as).
     *
     * @param command      e.g. {@code cyclegan train}: named in messages
     * @param kind         the config kind and the run folder's kind
     * @param resumable    settings --resume may change with --set
     * @param outputs      what the finished run folder holds, for the closing line
     * @param inputs       input files besides the config (recorded in the provenance)
     */
    record Trainer<T, K>(String command, String kind, Class<T> type, List<String> resumable, String outputs,
                         Consumer<ExperimentConfig<T>> validate, Function<T, String> name, ToLongFunction<T> seed,
                         Function<T, List<String>> inputs, Function<RunFolder, Map.Entry<Path, K>> lastCheckpoint,
                         Function<K, String> savedConfig, ToLongFunction<K> step, Train<T, K> train) {}

    static <T, K> int call(CommandSpec spec, TrainRunArgs args, Trainer<T, K> t) throws Exception {
        return args.resume != null ? resume(spec, args, t) : start(spec, args, t);
    }

    private static <T, K> int start(CommandSpec spec, TrainRunArgs args, Trainer<T, K> t) throws Exception {
        if (args.file == null) {
            throw new UserError(t.command() + ": give a CONFIG.yaml, or --resume RUN_DIR", 2, null);
        }
        ExperimentConfig<T> cfg = ExperimentConfig.load(args.file, args.overrides, Kinds.all(), t.kind(), t.type());
        T c = cfg.value();
        t.validate().accept(cfg);
        List<Path> inputs = new ArrayList<>(List.of(args.file));
        t.inputs().apply(c).forEach(f -> inputs.add(Path.of(f)));
        Jobs.newTrainingRun(t.kind(), t.name().apply(c), args.runDir, run -> {
            run.writeConfig(cfg.resolvedYaml());
            run.writeProvenance(Provenance.capture(t.seed().applyAsLong(c), spec.commandLine().getParseResult().originalArgs(), inputs));
            train(spec, t, cfg, run, null);
            spec.commandLine().getOut().printf("trained -> %s (%s)%n", run.dir(), t.outputs());
        });
        return 0;
    }

    private static <T, K> int resume(CommandSpec spec, TrainRunArgs args, Trainer<T, K> t) throws Exception {
        Resumes.checkArguments(t.command(), args.file, args.runDir, args.resume, args.overrides, t.resumable());
        Jobs.resumedTrainingRun(args.resume, run -> {
            Map.Entry<Path, K> last = t.lastCheckpoint().apply(run);
            ExperimentConfig<T> cfg = Resumes.savedConfig(run, last.getKey(), t.savedConfig().apply(last.getValue()), args.overrides,
                    Kinds.all(), t.kind(), t.type(), t.resumable(), spec.commandLine().getErr());
            long done = t.step().applyAsLong(last.getValue());
            run.log("resuming from " + last.getKey().getFileName() + " at step " + done);
            spec.commandLine().getErr().printf("resuming %s from %s (step %d)%n", args.resume, last.getKey().getFileName(), done);
            train(spec, t, cfg, run, last.getValue());
            spec.commandLine().getOut().printf("trained -> %s%n", run.dir());
        });
        return 0;
    }

    private static <T, K> void train(CommandSpec spec, Trainer<T, K> t, ExperimentConfig<T> cfg, RunFolder run, K from) {
        Progress[] p = new Progress[1];
        Quiet.call(spec, () -> t.train().run(cfg, run, from, total -> p[0] = new Progress(spec.commandLine().getErr(),
                t.kind(), total), done -> p[0].update(done)));
        p[0].done();
        run.log("finished");
    }
}
