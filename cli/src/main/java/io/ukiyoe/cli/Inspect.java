package io.ukiyoe.cli;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanModel;

/** Parameter counts of a model by part (trainable tensors only; buffers are not counted). */
final class Inspect {
    private Inspect() {}

    record Counts(long mapping, long synthesis, long discriminator, long buffers) {}

    static Counts counts(StyleGanModel m) {
        long map = 0;
        long syn = 0;
        long disc = 0;
        long buf = 0;
        for (var e : m.tensors().entrySet()) {
            long n = e.getValue().numel();
            String k = e.getKey();
            if (Names.isBuffer(k)) {
                buf += n;
            } else if (k.startsWith("mapping/")) {
                map += n;
            } else if (k.startsWith("synthesis/")) {
                syn += n;
            } else {
                disc += n;
            }
        }
        return new Counts(map, syn, disc, buf);
    }
}
