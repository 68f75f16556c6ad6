package io.ukiyoe.core.config;

import io.ukiyoe.core.UserError;

/** An invalid config: printed as {@code FILE:LINE:COL: message}, exit code 2. */
public final class ConfigException extends UserError {
    private final Pos pos;
    private final String reason;

    public ConfigException(Pos pos, String reason) {
        super(pos + ": " + reason, 2, null);
        this.pos = pos;
        this.reason = reason;
    }

    public Pos pos() {
        return pos;
    }

    /** The message without the position. */
    public String reason() {
        return reason;
    }
}
