package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Graphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An inference-only SameDiff graph of mapping + synthesis with truncation baked in, saved as
 * FlatBuffers. Placeholder {@code z} float32 [N, z_dim]; outputs {@code ws} [N, num_ws, w_dim]
 * and {@code img} float32 [N, 3, R, R] (about [-1, 1]).
 */
public final class Export {
    public static final String Z = "z";
    public static final String WS = "ws";
    public static final String IMG = "img";

    private Export() {}

    public static SameDiff build(StyleGanModel model, double psi, Integer cutoff, boolean noise) {
        SameDiff sd = Graphs.create();
        GeneratorGraph g = new GeneratorGraph(sd, model, false);
        SDVariable z = sd.placeHolder(Z, DataType.FLOAT, -1, model.config().zDim());
        int cut = cutoff == null ? model.config().numWs() : cutoff;
        SDVariable ws = sd.identity(WS, g.broadcastAndTruncate(g.mapping(z), psi, cut));
        sd.identity(IMG, g.synthesis(ws, noise ? GeneratorGraph.Noise.CONST : GeneratorGraph.Noise.NONE));
        return sd;
    }

    /**
     * Synthesis alone, for latents made elsewhere (projection, blending, mixing): placeholder
     * {@code ws} float32 [N, num_ws, w_dim]; output {@code img} float32 [N, 3, R, R].
     */
    public static SameDiff buildSynthesis(StyleGanModel model, boolean noise) {
        SameDiff sd = Graphs.create();
        GeneratorGraph g = new GeneratorGraph(sd, model, false);
        SDVariable ws = sd.placeHolder(WS, DataType.FLOAT, -1, model.config().numWs(), model.config().wDim());
        sd.identity(IMG, g.synthesis(ws, noise ? GeneratorGraph.Noise.CONST : GeneratorGraph.Noise.NONE));
        return sd;
    }

    /** Writes the graph to {@code out} (a temporary file renamed into place). */
    public static void save(SameDiff sd, Path out) throws IOException {
        Path tmp = io.ukiyoe.core.io.AtomicFiles.newTempFile(out);
        try {
            sd.save(tmp.toFile(), false);
            io.ukiyoe.core.io.AtomicFiles.moveIntoPlace(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
