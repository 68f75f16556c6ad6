package io.ukiyoe.cli;

import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.core.run.RunFolder;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/** Run folders for flag-driven jobs: {@code --out DIR} (new or empty) or {@code runs/<kind>-<time>}. */
final class Jobs {
    private Jobs() {}

    static RunFolder open(String kind, Path out, Long seed, List<String> argv, List<Path> inputs) {
        RunFolder run = RunFolder.create(Path.of("runs"), kind, null, out, LocalDateTime.now());
        run.writeProvenance(Provenance.capture(seed, argv, inputs));
        run.log("ukiyoe " + String.join(" ", argv));
        return run;
    }
}
