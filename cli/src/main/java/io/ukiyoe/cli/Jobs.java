package io.ukiyoe.cli;

import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.core.run.RunFolder;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/** Run folders for flag-driven jobs: {@code --out DIR} (new or empty) or {@code runs/<kind>-<time>}. */
final class Jobs {
    private Jobs() {}

    /** A job's work inside its run folder. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs a job in its folder and records how it ended ({@link RunFolder#finished}, or
     * {@link RunFolder#failed}: kept with the error when {@code worthKeeping} says it wrote something of
     * value, removed otherwise), then closes the folder.
     */
    static void guarded(RunFolder run, java.util.function.BooleanSupplier worthKeeping, Body body) throws Exception {
        try {
            body.run();
            run.finished();
        } catch (Exception | Error e) {
            run.failed(e, worthKeeping.getAsBoolean());
            throw e;
        } finally {
            run.close();
        }
    }

    /** A job's work given its run folder. */
    interface RunBody {
        void run(RunFolder run) throws Exception;
    }

    /**
     * A new training run ({@code train}, {@code cyclegan train}) in {@code --run-dir} or
     * {@code runs/<kind>-<time>[-name]}: kept once it has a checkpoint, removed if it fails before one.
     */
    static void newTrainingRun(String kind, String name, Path runDir, RunBody body) throws Exception {
        RunFolder run = RunFolder.create(Path.of("runs"), kind, name, runDir, "--run-dir", LocalDateTime.now());
        guarded(run, () -> !io.ukiyoe.training.Checkpoint.list(run.dir()).isEmpty(), () -> body.run(run));
    }

    /** A training run continued with {@code --resume}: its folder is always kept, a failure recorded in it. */
    static void resumedTrainingRun(Path dir, RunBody body) throws Exception {
        RunFolder run = RunFolder.reopen(dir);
        guarded(run, () -> true, () -> body.run(run));
    }

    static RunFolder open(String kind, Path out, Long seed, List<String> argv, List<Path> inputs) {
        RunFolder run = RunFolder.create(Path.of("runs"), kind, null, out, LocalDateTime.now());
        run.writeProvenance(Provenance.capture(seed, argv, inputs));
        run.log("ukiyoe " + String.join(" ", argv));
        return run;
    }
}
