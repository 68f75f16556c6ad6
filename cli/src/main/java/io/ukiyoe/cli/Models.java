package io.ukiyoe.cli;

import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.file.Path;

/** Loads a model for a command: a ukiyoe model file, or any checkpoint 'ukiyoe import' reads. */
final class Models {
    private Models() {}

    static StyleGanModel load(Path file) {
        return Importer.importFile(file, Importer.Format.AUTO);
    }
}
