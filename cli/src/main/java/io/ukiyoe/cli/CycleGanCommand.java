package io.ukiyoe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ukiyoe cyclegan}: unpaired A <-> B translation (CycleGAN); the work is in its subcommands. */
@Command(name = "cyclegan", mixinStandardHelpOptions = true,
        description = "CycleGAN: one step's losses and gradients (grads), training on two unpaired image sets (train).",
        subcommands = {CycleGanTrainCommand.class, CycleGanGradsCommand.class, CommandLine.HelpCommand.class})
final class CycleGanCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
