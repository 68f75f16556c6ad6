package io.ukiyoe.cli;

import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFamilies;
import io.ukiyoe.graphs.model.NetworkFamily;
import io.ukiyoe.graphs.model.NetworkFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model files of the registered network families (not StyleGAN2), for commands that take either. */
final class NetworkFiles {
    private NetworkFiles() {}

    /** The file read as its family's model file, or null when it is none (a StyleGAN2 model, a checkpoint). */
    static NetworkFile registered(Path file) {
        if (!Files.isRegularFile(file) || !Importer.looksLikeSafetensors(file)) {
            return null;
        }
        String format = NetworkFile.formatOf(file);
        NetworkFamily family = format == null ? null : NetworkFamilies.forFormat(format).orElse(null);
        return family == null ? null : NetworkFile.read(file, format, family.formatVersion());
    }
}
