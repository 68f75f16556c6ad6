package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.TensorShapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pix2pixHD generator: {@code --netG global} ({@code nLocalEnhancers} 0) or {@code --netG local}. The
 * options are upstream's: for a local net {@code ngf} is the finest enhancer's width and the global
 * part has {@code ngf * 2^n_local_enhancers}.
 *
 * @param inputNc         input channels
 * @param outputNc        output channels
 * @param ngf             width of the first conv (of the finest enhancer for a local net)
 * @param nDownsampling   the global part's stride-2 convs ({@code n_downsample_global})
 * @param nBlocks         the global part's residual blocks ({@code n_blocks_global})
 * @param nLocalEnhancers enhancers around the global part; 0 for a global generator
 * @param nBlocksLocal    residual blocks per enhancer (0 for a global generator)
 */
public record GeneratorConfig(int inputNc, int outputNc, int ngf, int nDownsampling, int nBlocks,
                              int nLocalEnhancers, int nBlocksLocal) {
    private static final Pattern ENHANCER = Pattern.compile("model(\\d+)_1/.*");

    public GeneratorConfig {
        if (nLocalEnhancers < 0 || nBlocksLocal < 0 || (nLocalEnhancers == 0 && nBlocksLocal != 0)) {
            throw new IllegalArgumentException("invalid n_local_enhancers " + nLocalEnhancers + " / n_blocks_local " + nBlocksLocal);
        }
        global(inputNc, outputNc, ngf, nDownsampling, nBlocks, nLocalEnhancers);   // validates the rest
    }

    private static GlobalGeneratorConfig global(int in, int out, int ngf, int nDown, int nBlocks, int nLocal) {
        return new GlobalGeneratorConfig(in, nLocal == 0 ? out : 0, ngf << nLocal, nDown, nBlocks, nLocal == 0);
    }

    /** A global generator. */
    public static GeneratorConfig global(GlobalGeneratorConfig g) {
        return new GeneratorConfig(g.inputNc(), g.outputNc(), g.ngf(), g.nDownsampling(), g.nBlocks(), 0, 0);
    }

    /** The global part ({@code model/}): the whole net, or a headless one of width {@code ngf * 2^n_local_enhancers}. */
    public GlobalGeneratorConfig globalPart() {
        return global(inputNc, outputNc, ngf, nDownsampling, nBlocks, nLocalEnhancers);
    }

    /** {@code global} or {@code local}, upstream's {@code --netG}. */
    public String netG() {
        return nLocalEnhancers == 0 ? "global" : "local";
    }

    /** H and W must be multiples of this. */
    public int sizeMultiple() {
        return 1 << (nDownsampling + nLocalEnhancers);
    }

    /** Width of enhancer {@code n} (1-based, coarsest first). */
    long enhancerWidth(int n) {
        return (long) ngf << (nLocalEnhancers - n);
    }

    /** Every tensor, canonical name to shape. */
    public LinkedHashMap<String, long[]> expectedShapes() {
        LinkedHashMap<String, long[]> m = globalPart().expectedShapes("model/");
        for (int n = 1; n <= nLocalEnhancers; n++) {
            long g = enhancerWidth(n);
            TensorShapes.conv(m, "model" + n + "_1/1/", g, inputNc, 7, 7);
            TensorShapes.conv(m, "model" + n + "_1/4/", 2 * g, g, 3, 3);
            for (int b = 0; b < nBlocksLocal; b++) {
                ResnetBlock.expectedShapes(m, "model" + n + "_2/" + b + "/", 2 * g);
            }
            TensorShapes.convTranspose(m, "model" + n + "_2/" + nBlocksLocal + "/", 2 * g, g, 3, 3);
            if (n == nLocalEnhancers) {
                TensorShapes.conv(m, "model" + n + "_2/" + (nBlocksLocal + 4) + "/", outputNc, g, 7, 7);
            }
        }
        return m;
    }

    public long parameterCount() {
        return expectedShapes().values().stream().mapToLong(Tensor::numel).sum();
    }

    /** The architecture of a generator's tensors (canonical names), inferred and checked. */
    public static GeneratorConfig infer(Map<String, Tensor> tensors) {
        String what = "pix2pixHD generator";
        GlobalGeneratorConfig g = GlobalGeneratorConfig.infer(tensors, "model/", what);
        List<Integer> enhancers = TensorShapes.indices(tensors.keySet(), ENHANCER);
        if (enhancers.isEmpty()) {
            TensorShapes.requireExactly(tensors, g.expectedShapes("model/"), what + " (" + g.describe() + ")");
            return global(g);
        }
        int nLocal = enhancers.size();
        if (g.head() || enhancers.get(0) != 1 || enhancers.get(nLocal - 1) != nLocal) {
            throw new IllegalArgumentException(what + ": enhancers " + enhancers + " around a global part "
                    + (g.head() ? "with" : "without") + " its final conv; expected model1_* .. modelN_* around a headless one");
        }
        long[] first = TensorShapes.shape(tensors, "model" + nLocal + "_1/1/weight", 4, what);
        int nBlocksLocal = TensorShapes.indices(tensors.keySet(), Pattern.compile("model1_2/(\\d+)/conv_block/.*")).size();
        long[] last = TensorShapes.shape(tensors, "model" + nLocal + "_2/" + (nBlocksLocal + 4) + "/weight", 4, what);
        GeneratorConfig c;
        try {
            c = new GeneratorConfig(g.inputNc(), (int) last[0], (int) first[0], g.nDownsampling(), g.nBlocks(), nLocal, nBlocksLocal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
        TensorShapes.requireExactly(tensors, c.expectedShapes(), what + " (" + c.describe() + ")");
        return c;
    }

    public String describe() {
        return "netG " + netG() + ", input_nc " + inputNc + ", output_nc " + outputNc + ", ngf " + ngf
                + ", n_downsampling " + nDownsampling + ", n_blocks " + nBlocks
                + (nLocalEnhancers == 0 ? "" : ", n_local_enhancers " + nLocalEnhancers + ", n_blocks_local " + nBlocksLocal);
    }
}
