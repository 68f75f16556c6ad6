package io.ukiyoe.core.run;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * While a run is open, the warning and error lines that the logging back-end prints on stderr (slf4j-simple,
 * which looks {@code System.err} up on every message) are also copied into the run's {@code log.txt}: the
 * skipped images, the library warnings that scroll past in a terminal. Everything still reaches stderr as before.
 */
final class WarningTee extends PrintStream {
    /** slf4j-simple's level, with or without brackets, after its optional time stamp and [thread]. */
    private static final Pattern WARNING = Pattern.compile("^(?:\\d\\S* )?(?:\\[[^\\]]*] )?\\[?(?:WARN|ERROR)]? ");
    private final PrintStream original;
    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile boolean active = true;

    private WarningTee(PrintStream original, Consumer<String> sink) {
        super(original, true, StandardCharsets.UTF_8);
        this.original = original;
        this.sink = sink;
    }

    static WarningTee install(Consumer<String> sink) {
        WarningTee tee = new WarningTee(System.err, sink);
        System.setErr(tee);
        return tee;
    }

    /** Stops copying; restores stderr if nothing replaced it since (a run opened later keeps its own). */
    void uninstall() {
        active = false;
        if (System.err == this) {
            System.setErr(original);
        }
    }

    @Override
    public void write(int b) {
        original.write(b);
        collect(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        collect(b, off, len);
    }

    @Override
    public void flush() {
        original.flush();
    }

    private synchronized void collect(byte[] b, int off, int len) {
        if (!active) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
                line.reset();
                if (WARNING.matcher(text).find()) {
                    try {
                        sink.accept(text);
                    } catch (RuntimeException e) {
                        active = false;   // the log is gone (run closed): stderr alone, as before
                    }
                }
            } else if (line.size() < 1 << 16) {
                line.write(b[i]);
            }
        }
    }
}
