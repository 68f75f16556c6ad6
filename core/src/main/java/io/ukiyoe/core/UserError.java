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
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Process exit code: 2 for invalid configs and usage, 1 for other bad input. */
    public int exitCode() {
        return exitCode;
    }
}
