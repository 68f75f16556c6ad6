package io.ukiyoe.core;

/**
 * A problem with the user's input (a file, a flag, a config value) rather than a bug: the CLI prints
 * {@link #getMessage()} as one line, without a stack trace, and exits with {@link #exitCode()}.
 */
public class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) {
        this(message, 1, null);
    }

    public UserError(String message, Throwable cause) {
        this(message, 1, cause);
    }

    public UserError(String message, int exitCode, Throwable cause) {
        super(oneLine(message), cause);
        this.exitCode = exitCode;
    }

    /**
     * The message as one printable line: control characters (a newline in a name read from a damaged
     * file, say) are shown as {@code \xNN} escapes rather than breaking or garbling the terminal line.
     */
    static String oneLine(String message) {
        if (message == null || message.codePoints().noneMatch(Character::isISOControl)) {
            return message;
        }
        StringBuilder b = new StringBuilder(message.length() + 8);
        message.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** Process exit code: 2 for invalid configs and usage, 1 for other bad input. */
    public int exitCode() {
        return exitCode;
    }
}
