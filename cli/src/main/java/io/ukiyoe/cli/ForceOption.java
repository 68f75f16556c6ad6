package io.ukiyoe.cli;

import io.ukiyoe.core.io.Outputs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --force}: the mixin of every command that writes named output files (see {@link Outputs}). */
final class ForceOption {
    @Option(names = "--force", description = "Replace output files that already exist (default: refuse).")
    boolean force;

    /** Refuses existing outputs unless --force; call before any work. */
    void check(Path... files) {
        Outputs.checkNew(force, files);
    }
}
