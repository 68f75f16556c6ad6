package io.ukiyoe.cli;

import java.io.PrintWriter;

/** A one-line progress bar with rate and ETA on stderr (redrawn in place). */
final class Progress {
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();

    Progress(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
    }

    void update(long done) {
        double secs = (System.nanoTime() - start) / 1e9;
        double frac = Math.min(1, done / (double) total);
        int width = 24;
        int filled = (int) Math.round(frac * width);
        double eta = done > 0 ? secs / done * (total - done) : Double.NaN;
        err.printf("\r%s [%s%s] %d/%d  %.1f s  eta %s", label, "#".repeat(filled), ".".repeat(width - filled), done,
                total, secs, Double.isNaN(eta) ? "?" : String.format("%.0f s", eta));
        err.flush();
    }

    void done() {
        err.println();
        err.flush();
    }
}
