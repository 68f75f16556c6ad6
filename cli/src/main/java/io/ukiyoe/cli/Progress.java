package io.ukiyoe.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar with rate and ETA on stderr: redrawn in place at most a few times a second on a
 * terminal; when stderr is a file or pipe, a plain line every ten seconds and at the end (no wall of redraws).
 */
final class Progress {
    private static final boolean TERMINAL = System.console() != null;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final long intervalNanos = TERMINAL ? 250_000_000L : 10_000_000_000L;
    private final String unit;
    private long lastDraw = Long.MIN_VALUE;
    private long firstDone = -1;        // the first count reported: a resumed job starts at its own step
    private long firstTime;

    Progress(PrintWriter err, String label, long total) {
        this(err, label, total, null);
    }

    /** With a unit, the bar also shows the rate, e.g. {@code 12.5 pairs/s}. */
    Progress(PrintWriter err, String label, long total, String unit) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
    }

    void update(long done) {
        update(done, "");
    }

    /** As {@link #update(long)} with a short note after the bar (e.g. the current loss). */
    void update(long done, String note) {
        long now = System.nanoTime();
        if (firstDone < 0) {
            firstDone = done;
            firstTime = now;
        }
        if (done < total && lastDraw != Long.MIN_VALUE && now - lastDraw < intervalNanos) {
            return;
        }
        lastDraw = now;
        double secs = (now - start) / 1e9;
        double frac = Math.min(1, done / (double) total);
        int width = 24;
        int filled = (int) Math.round(frac * width);
        double perUnit = secondsPerUnit(done, (now - firstTime) / 1e9, secs);
        double eta = perUnit * (total - done);
        String rate = unit == null || !(perUnit > 0) ? "" : String.format(java.util.Locale.ROOT, "  %.1f %s/s", 1 / perUnit, unit);
        err.printf("%s%s [%s%s] %d/%d  %.1f s%s  eta %s%s%s", TERMINAL ? "\r" : "", label, "#".repeat(filled),
                ".".repeat(width - filled), done, total, secs, rate, Double.isNaN(eta) ? "?" : String.format("%.0f s", eta),
                note.isEmpty() ? "" : "  " + note, TERMINAL ? "" : "\n");
        err.flush();
    }

    /**
     * Seconds per unit of work at this pace ({@code sinceFirst}: seconds since the first report, {@code secs}:
     * since the bar began): over the units counted since the first report (a job resumed at
     * step 5,000 of 7,000 has not done 5,000 steps in this process), or, before a second report, over all the
     * elapsed time when the job started from (about) nothing; NaN when unknown.
     */
    double secondsPerUnit(long done, double sinceFirst, double secs) {
        long counted = done - firstDone;
        if (counted > 0 && sinceFirst > 0) {
            return sinceFirst / counted;
        }
        return firstDone <= 1 && done > 0 && secs > 0 ? secs / done : Double.NaN;
    }

    void done() {
        if (TERMINAL) {
            err.println();
        }
        err.flush();
    }
}
