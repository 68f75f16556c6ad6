package io.ukiyoe.training;

import io.ukiyoe.cli.Main;
import java.util.Arrays;

/**
 * The kill -9 tests' entry point in a child JVM: {@code HaltingCheckpoints N ARGS} runs {@code ukiyoe ARGS}
 * with {@link Checkpoint}'s package-private seam set, so its N-th checkpoint write stops the JVM half-way.
 * Lives in the training package (test sources only) so production code carries no test switch.
 */
public final class HaltingCheckpoints {
    private HaltingCheckpoints() {}

    public static void main(String[] args) {
        Checkpoint.haltInWrite = Integer.parseInt(args[0]);
        Main.main(Arrays.copyOfRange(args, 1, args.length));
    }
}
