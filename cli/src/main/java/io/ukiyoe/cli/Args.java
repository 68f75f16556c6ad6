package io.ukiyoe.cli;

import io.ukiyoe.core.Seeds;
import io.ukiyoe.core.UserError;
import java.util.List;

/** Checks of command-line values shared by the commands; failures are usage errors (exit 2). */
final class Args {
    private Args() {}

    static void positive(String option, long value) {
        if (value <= 0) {
            throw new UserError(option + ": must be a positive integer, got " + value, 2, null);
        }
    }

    static List<Long> seeds(String option, String text) {
        try {
            return Seeds.parse(text).values();
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage(), 2, e);
        }
    }
}
