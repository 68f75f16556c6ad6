package io.ukiyoe.graphs.stylegan2;

import io.ukiyoe.graphs.model.Names;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.runtime.Graphs;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inference with a StyleGAN2 generator: mapping (z -> w), per-layer latents with truncation and
 * style mixing (W+), and synthesis (W+ -> image). Mapping and synthesis are separate graphs, so
 * W / W+ can be fed directly; the batch size is free.
 */
public final class Generator {
    public static final String Z = "z";
    public static final String W = "w";
    public static final String WS = "ws";
    public static final String IMG = "img";

    private final StyleGanModel model;
    private CheckedGraph mapping;
    private final Map<GeneratorGraph.Noise, CheckedGraph> synthesis = new EnumMap<>(GeneratorGraph.Noise.class);
    private final Map<GeneratorGraph.Noise, CheckedGraph> singleSynthesis = new EnumMap<>(GeneratorGraph.Noise.class);

    public Generator(StyleGanModel model) {
        this.model = model;
    }

    public StyleGanConfig config() {
        return model.config();
    }

    /** z [N, z_dim] -> w [N, w_dim]. */
    public synchronized INDArray mapping(INDArray z) {
        if (mapping == null) {
            SameDiff sd = Graphs.create();
            SDVariable zin = sd.placeHolder(Z, DataType.FLOAT, -1, config().zDim());
            GeneratorGraph graph = new GeneratorGraph(sd, model, false);
            sd.identity(W, graph.mapping(zin));
            mapping = new CheckedGraph(sd, graph.shapes());
        }
        return mapping.run(Map.of(Z, z.castTo(DataType.FLOAT)), W);
    }

    /** Truncation psi towards w_avg for the first {@code cutoff} layers (all when cutoff is null). */
    public record Truncation(double psi, Integer cutoff) {
        public static final Truncation NONE = new Truncation(1, null);
    }

    /**
     * Per-layer latents [N, num_ws, w_dim] for z, truncated, and when {@code mixZ} is given with
     * layers [mixIndex, num_ws) taken from mixZ (rosinality's inject_index).
     */
    public INDArray ws(INDArray z, Truncation trunc, INDArray mixZ, int mixIndex) {
        int n = config().numWs();
        INDArray ws = broadcast(mapping(z));
        if (mixZ != null) {
            if (mixIndex < 0 || mixIndex > n) {
                throw new IllegalArgumentException("mix index must be in [0, " + n + "], got " + mixIndex);
            }
            INDArray ws2 = broadcast(mapping(mixZ));
            ws.get(NDArrayIndex.all(), NDArrayIndex.interval(mixIndex, n), NDArrayIndex.all())
                    .assign(ws2.get(NDArrayIndex.all(), NDArrayIndex.interval(mixIndex, n), NDArrayIndex.all()));
        }
        return truncate(ws, trunc);
    }

    /** w [N, w_dim] -> ws [N, num_ws, w_dim] (the same w for every layer). */
    public INDArray broadcast(INDArray w) {
        long batch = w.size(0);
        INDArray ws = Nd4j.create(DataType.FLOAT, batch, config().numWs(), config().wDim());
        for (int i = 0; i < config().numWs(); i++) {
            ws.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()).assign(w);
        }
        return ws;
    }

    /** ws <- w_avg + psi (ws - w_avg) for layers below the cutoff. */
    public INDArray truncate(INDArray ws, Truncation t) {
        if (t.psi() == 1) {
            return ws;
        }
        INDArray avg = Ops.array(model.tensor(Names.W_AVG)).reshape(1, config().wDim());
        int cut = t.cutoff() == null ? config().numWs() : Math.min(t.cutoff(), config().numWs());
        for (int i = 0; i < cut; i++) {
            INDArray layer = ws.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all());
            layer.assign(layer.sub(avg).muli(t.psi()).addi(avg));
        }
        return ws;
    }

    /** Like {@link #synthesis(INDArray, NoiseMode, long[])} with noise seeds noiseSeed, noiseSeed+1, ... per row. */
    public INDArray synthesis(INDArray ws, NoiseMode noise, long noiseSeed) {
        long[] seeds = new long[(int) ws.size(0)];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = noiseSeed + i;
        }
        return synthesis(ws, noise, seeds);
    }

    /**
     * ws [N, num_ws, w_dim] -> images [N, 3, R, R] (about [-1, 1]). Noise RANDOM draws N(0,1) maps,
     * row i from {@code noiseSeeds[i]} (so an image does not depend on its batch); CONST uses the
     * stored maps; NONE disables noise.
     */
    public synchronized INDArray synthesis(INDArray ws, NoiseMode noise, long[] noiseSeeds) {
        GeneratorGraph.Noise g = switch (noise) {
            case CONST -> GeneratorGraph.Noise.CONST;
            case RANDOM -> GeneratorGraph.Noise.INPUT;
            case NONE -> GeneratorGraph.Noise.NONE;
        };
        boolean single = ws.size(0) == 1;                  // batches of one: styles folded into the weights
        CheckedGraph built = (single ? singleSynthesis : synthesis).computeIfAbsent(g, mode -> {
            SameDiff s = Graphs.create();
            SDVariable in = s.placeHolder(WS, DataType.FLOAT, single ? 1 : -1, config().numWs(), config().wDim());
            GeneratorGraph graph = new GeneratorGraph(s, model, false);
            s.identity(IMG, (single ? graph.singleSample() : graph).synthesis(in, mode));
            return new CheckedGraph(s, graph.shapes());
        });
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(WS, ws.castTo(DataType.FLOAT));
        if (g == GeneratorGraph.Noise.INPUT) {
            feed.putAll(randomNoise(noiseSeeds));
        }
        return built.run(feed, IMG);
    }

    /** Noise inputs for every layer, N(0,1); row i drawn from its own seeded stream. */
    public Map<String, INDArray> randomNoise(long[] seeds) {
        int batch = seeds.length;
        Map<String, float[]> maps = new java.util.LinkedHashMap<>();
        for (int i = 0; i < Names.numNoises(config()); i++) {
            int res = Names.noiseResolution(i);
            maps.put(Names.noiseLayer(i), new float[batch * res * res]);
        }
        for (int b = 0; b < batch; b++) {
            Random rnd = new Random(seeds[b]);
            for (var e : maps.entrySet()) {
                int size = e.getValue().length / batch;
                for (int i = 0; i < size; i++) {
                    e.getValue()[b * size + i] = (float) rnd.nextGaussian();
                }
            }
        }
        Map<String, INDArray> feed = new HashMap<>();
        maps.forEach((layer, v) -> {
            int res = (int) Math.round(Math.sqrt(v.length / (double) batch));
            feed.put(GeneratorGraph.noiseInput(layer), Nd4j.create(v, new long[] {batch, 1, res, res}, DataType.FLOAT));
        });
        return feed;
    }

    /** How per-layer noise is chosen at inference. */
    public enum NoiseMode { CONST, RANDOM, NONE }
}
