package io.ukiyoe.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Elementwise work over many float tensors (an optimiser or EMA step over every parameter), cut into
 * ranges of at most {@link #CHUNK} elements that run in parallel: the step's ops leave the cores idle
 * meanwhile. Each element is computed on its own, so the results do not depend on the threads.
 */
final class Chunks {
    /** Elements per task: large enough that a task costs more than its scheduling. */
    static final int CHUNK = 1 << 15;

    /** The work on elements [from, to) of the tensors in {@code arrays} (all of one length). */
    interface Range {
        void run(float[][] arrays, int from, int to);
    }

    private Chunks() {}

    static void forEach(List<float[][]> tensors, Range work) {
        List<int[]> tasks = new ArrayList<>();               // {tensor, from, to}
        for (int t = 0; t < tensors.size(); t++) {
            int n = tensors.get(t)[0].length;
            for (int from = 0; from < n; from += CHUNK) {
                tasks.add(new int[] {t, from, Math.min(n, from + CHUNK)});
            }
        }
        tasks.parallelStream().forEach(task -> work.run(tensors.get(task[0]), task[1], task[2]));
    }
}
