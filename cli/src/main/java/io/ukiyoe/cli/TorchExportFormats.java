package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.imports.AdaExport;
import io.ukiyoe.graphs.imports.RosinalityExport;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;

/** {@code export --format rosinality-pt | safetensors-ada}: a StyleGAN2 back to the PyTorch tools people use. */
final class TorchExportFormats {
    static final String ROSINALITY = "rosinality-pt";
    static final String ADA = "safetensors-ada";

    private TorchExportFormats() {}

    static boolean handles(String format) {
        return format.equals(ROSINALITY) || format.equals(ADA);
    }

    static void export(String format, Path model, Path out, PrintWriter say) {
        StyleGanModel m = Models.load(model);
        StyleGanConfig c = m.config();
        if (format.equals(ROSINALITY)) {
            RosinalityExport.write(m, out);
            say.printf("wrote %s: rosinality checkpoint {g_ema, latent_avg%s} (torch.save zip)%n", out,
                    m.hasDiscriminator() ? ", d" : "");
            OptionalInt mult = RosinalityExport.channelMultiplier(c);
            if (mult.isPresent() && c.wDim() == 512 && c.nMlp() == 8) {
                say.printf("  python generate.py --ckpt %s --size %d --channel_multiplier %d%n", out, c.resolution(),
                        mult.getAsInt());
            } else {
                say.printf("  note: build it as Generator(size=%d, style_dim=%d, n_mlp=%d%s) (generate.py assumes 512 and 8)%n",
                        c.resolution(), c.wDim(), c.nMlp(), mult.isPresent() ? ", channel_multiplier=" + mult.getAsInt()
                                : ") with g.channels = " + c.channels() + " (not rosinality's table for any channel_multiplier");
            }
        } else {
            AdaExport.write(m, out);
            String kwargs = AdaExport.generatorKwargs(c);
            say.printf("wrote %s: stylegan2-ada generator state dict (load with strict=False; see README)%n", out);
            say.println(kwargs != null ? "  training.networks.Generator(**" + kwargs + ")"
                    : "  note: the channel table " + c.channels() + " is not min(channel_base / res, channel_max) for any base");
        }
    }

    static UserError unknown(String format) {
        return new UserError("--format: unknown format '" + format + "' (valid: samediff, onnx, " + ROSINALITY + ", " + ADA + ")", 2, null);
    }
}
