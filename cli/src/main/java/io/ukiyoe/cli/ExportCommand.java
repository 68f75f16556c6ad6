package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.nn.Export;
import io.ukiyoe.graphs.translate.Translator;
import io.ukiyoe.graphs.translate.Translators;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe export}: an inference graph any SameDiff program can load. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export an inference graph as a SameDiff FlatBuffers file. StyleGAN2: mapping + synthesis "
                + "(truncation baked in), placeholder 'z' [N,z_dim], outputs 'img' [N,3,R,R] and 'ws'. Image-to-image "
                + "networks (pix2pixHD generators): placeholder 'input' [N,C,H,W] in [-1,1], output 'output'.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Model file or checkpoint.")
    Path model;

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @Option(names = "--out", required = true, paramLabel = "G.fb", description = "FlatBuffers file to write.")
    Path out;

    @Option(names = "--truncation", defaultValue = "1", paramLabel = "PSI", description = "Truncation psi baked into the graph (default: ${DEFAULT-VALUE}).")
    double psi;

    @Option(names = "--truncation-cutoff", paramLabel = "K", description = "Truncate only the first K ws.")
    Integer cutoff;

    @Option(names = "--noise", defaultValue = "const", paramLabel = "MODE", description = "const | none (default: ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--format", defaultValue = "samediff", paramLabel = "F", description = "samediff | rosinality-pt "
            + "(a rosinality/stylegan2-pytorch checkpoint) | safetensors-ada (stylegan2-ada generator state dict) (default: ${DEFAULT-VALUE}).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!noise.equals("const") && !noise.equals("none")) {
            throw new UserError("--noise: must be const or none, got '" + noise + "'", 2, null);
        }
        force.check(out);
        if (TorchExportFormats.handles(format)) {
            if (psi != 1 || cutoff != null) {
                throw new UserError("--truncation applies to the SameDiff graph; --format " + format
                        + " exports the weights (truncate in PyTorch, e.g. generate.py --truncation)", 2, null);
            }
            TorchExportFormats.export(format, model, out, spec.commandLine().getOut());
            return 0;
        } else if (!format.equals("samediff")) {
            throw TorchExportFormats.unknown(format);
        }
        if (Translators.handles(model)) {
            Translator t = Translators.load(model);
            t.export(out);
            spec.commandLine().getOut().printf("wrote %s: placeholder 'input' float32 [N,%d,H,W] in [-1,1] (H, W multiples of %d)"
                    + " -> 'output' float32 [N,%d,H,W]%n", out, t.inputChannels(), t.sizeMultiple(), t.outputChannels());
            return 0;
        }
        StyleGanModel m = Models.load(model);
        Export.save(Export.build(m, psi, cutoff, noise.equals("const")), out);
        spec.commandLine().getOut().printf("wrote %s: placeholder '%s' float32 [N,%d] -> '%s' float32 [N,3,%d,%d]%n",
                out, Export.Z, m.config().zDim(), Export.IMG, m.config().resolution(), m.config().resolution());
        return 0;
    }
}
