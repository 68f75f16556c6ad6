package io.ukiyoe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ukiyoe distill}: a fast pix2pixHD student of a StyleGAN2 pair (base -> blended); the work is in its subcommands. */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = "Distillation into a pix2pixHD student: training on aligned pairs (train).",
        subcommands = {DistillTrainCommand.class, CommandLine.HelpCommand.class})
final class DistillCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
