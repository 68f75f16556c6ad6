package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Export;
import io.ukiyoe.graphs.onnx.StyleGanOnnx;
import io.ukiyoe.graphs.translate.Translator;
import io.ukiyoe.graphs.translate.Translators;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe export}: an inference graph any SameDiff program (or, as ONNX, any ONNX runtime) can load. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export an inference graph as a SameDiff FlatBuffers file or an ONNX model (opset 17, batch "
                + "axis dynamic). StyleGAN2: mapping + synthesis (truncation baked in), input 'z' [N,z_dim], outputs "
                + "'img' [N,3,R,R] and 'ws'; or synthesis alone (--synthesis-only), input 'ws' [N,num_ws,w_dim]. "
                + "Image-to-image networks (pix2pixHD generators): input 'input' [N,C,H,W] in [-1,1], output 'output'.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Model file or checkpoint.")
    Path model;

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write (G.fb, G.onnx).")
    Path out;

    @Option(names = "--format", defaultValue = "samediff", paramLabel = "F", description = "samediff (FlatBuffers) | onnx "
            + "| rosinality-pt (a rosinality/stylegan2-pytorch checkpoint) | safetensors-ada (stylegan2-ada generator state "
            + "dict) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--synthesis-only", description = "StyleGAN2: export synthesis alone (input 'ws' [N,num_ws,w_dim] -> 'img').")
    boolean synthesisOnly;

    @Option(names = "--truncation", defaultValue = "1", paramLabel = "PSI", description = "Truncation psi baked into the graph (default: ${DEFAULT-VALUE}).")
    double psi;

    @Option(names = "--truncation-cutoff", paramLabel = "K", description = "Truncate only the first K ws.")
    Integer cutoff;

    @Option(names = "--noise", defaultValue = "const", paramLabel = "MODE", description = "const | none (default: ${DEFAULT-VALUE}).")
    String noise;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!noise.equals("const") && !noise.equals("none")) {
            throw new UserError("--noise: must be const or none, got '" + noise + "'", 2, null);
        }
        if (!format.equals("samediff") && !format.equals("onnx") && !TorchExportFormats.handles(format)) {
            throw TorchExportFormats.unknown(format);
        }
        if (synthesisOnly && (psi != 1 || cutoff != null)) {
            throw new UserError("--synthesis-only: the graph takes ws as given; truncate them before (--truncation does not apply)", 2, null);
        }
        boolean onnx = format.equals("onnx");
        force.check(out);
        if (TorchExportFormats.handles(format)) {
            if (psi != 1 || cutoff != null) {
                throw new UserError("--truncation applies to the SameDiff graph; --format " + format
                        + " exports the weights (truncate in PyTorch, e.g. generate.py --truncation)", 2, null);
            }
            TorchExportFormats.export(format, model, out, spec.commandLine().getOut());
            return 0;
        }
        if (Translators.handles(model)) {
            if (synthesisOnly) {
                throw new UserError("--synthesis-only: " + model + " is an image-to-image network, not a StyleGAN2 generator", 2, null);
            }
            Translator t = Translators.load(model);
            if (onnx) {
                t.exportOnnx(out);
            } else {
                t.export(out);
            }
            spec.commandLine().getOut().printf("wrote %s: input 'input' float32 [N,%d,H,W] in [-1,1] (H, W multiples of %d)"
                    + " -> 'output' float32 [N,%d,H,W]%n", out, t.inputChannels(), t.sizeMultiple(), t.outputChannels());
            return 0;
        }
        StyleGanModel m = Models.load(model);
        boolean constNoise = noise.equals("const");
        int r = m.config().resolution();
        if (synthesisOnly) {
            if (onnx) {
                StyleGanOnnx.synthesis(m, constNoise, out);
            } else {
                Export.save(Export.buildSynthesis(m, constNoise), out);
            }
            spec.commandLine().getOut().printf("wrote %s: input '%s' float32 [N,%d,%d] -> '%s' float32 [N,3,%d,%d]%n",
                    out, Export.WS, m.config().numWs(), m.config().wDim(), Export.IMG, r, r);
            return 0;
        }
        if (onnx) {
            StyleGanOnnx.generator(m, psi, cutoff, constNoise, out);
        } else {
            Export.save(Export.build(m, psi, cutoff, constNoise), out);
        }
        spec.commandLine().getOut().printf("wrote %s: input '%s' float32 [N,%d] -> '%s' float32 [N,3,%d,%d], '%s' [N,%d,%d]%n",
                out, Export.Z, m.config().zDim(), Export.IMG, r, r, Export.WS, m.config().numWs(), m.config().wDim());
        return 0;
    }
}
