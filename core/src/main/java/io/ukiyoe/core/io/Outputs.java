package io.ukiyoe.core.io;

import io.ukiyoe.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one policy for output files: an existing file is never replaced unless the user said
 * {@code --force}. Checked before any work starts, so a refused command has written nothing.
 * (Run folders follow their own rule: always new or empty.)
 */
public final class Outputs {
    private Outputs() {}

    /** Refuses each existing path (or a folder where a file is to go) unless {@code force}; nulls are skipped. */
    public static void checkNew(boolean force, Path... files) {
        for (Path f : files) {
            if (f == null) {
                continue;
            }
            if (Files.isDirectory(f)) {
                throw new UserError(f + ": is a folder, expected a file to write", 2, null);
            }
            if (!force && Files.exists(f)) {
                throw new UserError(f + ": already exists (use --force to replace it)", 1, null);
            }
        }
    }
}
