package io.ukiyoe.cli;

import picocli.CommandLine.Command;

/** {@code ukiyoe p2p}: pix2pixHD tools. */
@Command(name = "p2p", mixinStandardHelpOptions = true, description = "pix2pixHD tools (see the subcommands).",
        subcommands = {P2pGradsCommand.class})
final class P2pCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
