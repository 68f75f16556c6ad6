package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.io.Tensor;
import io.ukiyoe.graphs.model.TensorShapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The architecture of a pix2pixHD {@code GlobalGenerator} (also CycleGAN's {@code ResnetGenerator}, whose
 * state dict is the same with {@code n_downsampling} 2): one {@code nn.Sequential} named {@code model}.
 *
 * @param inputNc       input channels
 * @param outputNc      output channels (0 for a headless net: the LocalEnhancer's global part)
 * @param ngf           channels after the first conv; doubled by each downsampling
 * @param nDownsampling stride-2 convs (and as many transposed convs)
 * @param nBlocks       residual blocks at the bottom
 * @param head          whether the last three modules (reflect pad, 7x7 conv, tanh) are there
 */
public record GlobalGeneratorConfig(int inputNc, int outputNc, int ngf, int nDownsampling, int nBlocks, boolean head) {
    private static final Pattern PLAIN_CONV = Pattern.compile("(\\d+)/weight");
    private static final Pattern BLOCK = Pattern.compile("(\\d+)/conv_block/.*");

    public GlobalGeneratorConfig {
        if (inputNc < 1 || ngf < 1 || nDownsampling < 0 || nBlocks < 0 || (head && outputNc < 1)) {
            throw new IllegalArgumentException("invalid generator config: input_nc " + inputNc + ", output_nc "
                    + outputNc + ", ngf " + ngf + ", n_downsampling " + nDownsampling + ", n_blocks " + nBlocks);
        }
    }

    /** A complete generator (with its head). */
    public static GlobalGeneratorConfig of(int inputNc, int outputNc, int ngf, int nDownsampling, int nBlocks) {
        return new GlobalGeneratorConfig(inputNc, outputNc, ngf, nDownsampling, nBlocks, true);
    }

    /** H and W must be multiples of this. */
    public int sizeMultiple() {
        return 1 << nDownsampling;
    }

    /** Channels at the bottom (and of the residual blocks). */
    public long bottomChannels() {
        return (long) ngf << nDownsampling;
    }

    // Sequential indices: 0-3 stem, 3 per downsampling, 1 per block, 3 per upsampling, then pad/conv/tanh.
    int downConvIndex(int i) {
        return 4 + 3 * i;
    }

    int blockIndex(int b) {
        return 4 + 3 * nDownsampling + b;
    }

    int upConvIndex(int i) {
        return 4 + 3 * nDownsampling + nBlocks + 3 * i;
    }

    int headConvIndex() {
        return upConvIndex(nDownsampling) + 1;
    }

    /** Every tensor this net has under {@code prefix} (e.g. {@code model/}), canonical name to shape. */
    public LinkedHashMap<String, long[]> expectedShapes(String prefix) {
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        TensorShapes.conv(m, prefix + "1/", ngf, inputNc, 7, 7);
        for (int i = 0; i < nDownsampling; i++) {
            long c = (long) ngf << i;
            TensorShapes.conv(m, prefix + downConvIndex(i) + "/", 2 * c, c, 3, 3);
        }
        long bottom = bottomChannels();
        for (int b = 0; b < nBlocks; b++) {
            ResnetBlock.expectedShapes(m, prefix + blockIndex(b) + "/", bottom);
        }
        for (int i = 0; i < nDownsampling; i++) {
            long c = bottom >> i;
            TensorShapes.convTranspose(m, prefix + upConvIndex(i) + "/", c, c / 2, 3, 3);
        }
        if (head) {
            TensorShapes.conv(m, prefix + headConvIndex() + "/", outputNc, ngf, 7, 7);
        }
        return m;
    }

    /**
     * The architecture of the net whose tensors lie under {@code prefix} (canonical names), inferred from
     * keys and shapes and then checked tensor by tensor; {@link IllegalArgumentException} when they do not fit.
     */
    public static GlobalGeneratorConfig infer(Map<String, Tensor> tensors, String prefix, String what) {
        Map<String, Tensor> mine = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                mine.put(k.substring(prefix.length()), v);
            }
        });
        List<Integer> convs = TensorShapes.indices(mine.keySet(), PLAIN_CONV);
        List<Integer> blocks = TensorShapes.indices(mine.keySet(), BLOCK);
        if (convs.isEmpty() || convs.get(0) != 1) {
            throw new IllegalArgumentException(what + ": no first conv '" + prefix + "1/weight'");
        }
        long[] stem = TensorShapes.shape(mine, "1/weight", 4, what);
        // stem + n down + n up (+ head): an even count means the head is there
        boolean head = convs.size() % 2 == 0;
        int n = (convs.size() - 1 - (head ? 1 : 0)) / 2;
        int outputNc = 0;
        if (head) {
            outputNc = (int) TensorShapes.shape(mine, convs.get(convs.size() - 1) + "/weight", 4, what)[0];
        }
        GlobalGeneratorConfig c;
        try {
            c = new GlobalGeneratorConfig((int) stem[1], outputNc, (int) stem[0], n, blocks.size(), head);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
        TensorShapes.requireExactly(mine, c.expectedShapes(""), what + " (" + c.describe() + ", names under '" + prefix + "')");
        return c;
    }

    public String describe() {
        return "input_nc " + inputNc + (head ? ", output_nc " + outputNc : "") + ", ngf " + ngf + ", n_downsampling "
                + nDownsampling + ", n_blocks " + nBlocks;
    }
}
