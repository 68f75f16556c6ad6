package io.ukiyoe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ukiyoe distill}: StyleGAN2 pairs -> pix2pixHD student; the work is in its subcommands (one line each here). */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = "Distillation into a fast pix2pixHD student: render base/blended training pairs (pairs), "
                + "train the student on them (train).",
        subcommands = {
                DistillPairsCommand.class,
                DistillTrainCommand.class,
                CommandLine.HelpCommand.class})
final class DistillCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
