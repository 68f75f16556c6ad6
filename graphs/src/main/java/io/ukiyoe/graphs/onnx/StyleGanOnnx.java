package io.ukiyoe.graphs.onnx;

import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Export;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The StyleGAN2 inference graphs of {@link Export} as ONNX files, batch axis "N" dynamic: the
 * generator ({@code z} [N, z_dim] -> {@code img} [N, 3, R, R], {@code ws} [N, num_ws, w_dim];
 * truncation and noise baked in) and synthesis alone ({@code ws} -> {@code img}).
 */
public final class StyleGanOnnx {
    private StyleGanOnnx() {}

    public static void generator(StyleGanModel model, double psi, Integer cutoff, boolean noise, Path out) {
        StyleGanConfig c = model.config();
        Map<String, String> meta = metadata(model, "generator", noise);
        meta.put("ukiyoe.truncation_psi", Double.toString(psi));
        meta.put("ukiyoe.truncation_cutoff", cutoff == null ? "none" : cutoff.toString());
        OnnxExport.write(Export.build(model, psi, cutoff, noise), "stylegan2_generator",
                List.of(OnnxPort.of(Export.Z, "N", c.zDim())),
                List.of(image(c), OnnxPort.of(Export.WS, "N", c.numWs(), c.wDim())), meta, out);
    }

    public static void synthesis(StyleGanModel model, boolean noise, Path out) {
        StyleGanConfig c = model.config();
        OnnxExport.write(Export.buildSynthesis(model, noise), "stylegan2_synthesis",
                List.of(OnnxPort.of(Export.WS, "N", c.numWs(), c.wDim())), List.of(image(c)),
                metadata(model, "synthesis", noise), out);
    }

    private static OnnxPort image(StyleGanConfig c) {
        return OnnxPort.of(Export.IMG, "N", 3, c.resolution(), c.resolution());
    }

    private static Map<String, String> metadata(StyleGanModel model, String graph, boolean noise) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ukiyoe.network", "stylegan2." + graph);
        m.put("ukiyoe.resolution", Integer.toString(model.config().resolution()));
        m.put("ukiyoe.noise", noise ? "const" : "none");
        return m;
    }
}
