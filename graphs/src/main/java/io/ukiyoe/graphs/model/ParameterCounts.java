package io.ukiyoe.graphs.model;

/**
 * Parameter counts of a model by part (trainable tensors; the buffers, w_avg and the constant noise
 * maps, are counted apart), as {@code import} and {@code inspect} report them.
 */
public record ParameterCounts(long mapping, long synthesis, long discriminator, long buffers) {

    public static ParameterCounts of(StyleGanModel m) {
        long map = 0;
        long syn = 0;
        long disc = 0;
        long buf = 0;
        for (var e : m.tensors().entrySet()) {
            long n = e.getValue().numel();
            String k = e.getKey();
            if (Names.isBuffer(k)) {
                buf += n;
            } else if (Names.isMapping(k)) {
                map += n;
            } else if (Names.isSynthesis(k)) {
                syn += n;
            } else {
                disc += n;
            }
        }
        return new ParameterCounts(map, syn, disc, buf);
    }
}
