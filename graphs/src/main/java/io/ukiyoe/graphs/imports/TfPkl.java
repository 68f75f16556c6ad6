package io.ukiyoe.graphs.imports;

/** Placeholder replaced below. */
final class TfPkl {
    private TfPkl() {}

    static Importer.Converted convert(Object root) {
        throw new IllegalArgumentException("TensorFlow pickles are not supported yet");
    }
}
