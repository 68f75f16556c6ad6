package io.ukiyoe.graphs.pix2pixhd;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.layers.TorchWeights;
import io.ukiyoe.graphs.runtime.Graphs;
import io.ukiyoe.graphs.stylegan2.Export;
import io.ukiyoe.graphs.onnx.OnnxExport;
import io.ukiyoe.graphs.onnx.OnnxPort;
import io.ukiyoe.graphs.translate.Translator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A pix2pixHD generator (global or local) as a {@link Translator}: one inference graph, built once. */
public final class Pix2PixHDTranslator implements Translator {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private final GeneratorConfig config;
    private final long parameters;
    private final SameDiff graph;

    public Pix2PixHDTranslator(Pix2PixHDFiles.GeneratorNet net) {
        this(net.config(), sd -> new TorchWeights(sd, net.tensors(), false, "G/"));
    }

    private Pix2PixHDTranslator(GeneratorConfig config, java.util.function.Function<SameDiff, TorchWeights> weights) {
        this.config = config;
        this.parameters = config.parameterCount();
        this.graph = Graphs.create();   // each constant held once (730 MB less for the 512 px benchmark's generator)
        SDVariable x = graph.placeHolder(INPUT, DataType.FLOAT, -1, config.inputNc(), -1, -1);
        graph.identity(OUTPUT, Generator.forward(graph, x, config, weights.apply(graph)));
    }

    /**
     * A generator with random weights as upstream initialises convs (N(0, 0.02), biases 0 here), made
     * straight in ND4J arrays as the graph asks for them (so a weight is held once, in the layout the
     * graph uses): what the translate benchmark runs.
     */
    public static Pix2PixHDTranslator random(GeneratorConfig config, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, long[]> shapes = config.expectedShapes();
        return new Pix2PixHDTranslator(config, sd -> TorchWeights.made(sd, k -> !shapes.containsKey(k) ? null
                : k.endsWith("bias") ? Nd4j.zeros(DataType.FLOAT, shapes.get(k))
                : Nd4j.randn(DataType.FLOAT, shapes.get(k)).muli(0.02), false, "G/"));
    }

    public static Translator load(Path file) {
        return new Pix2PixHDTranslator(Pix2PixHDFiles.readGenerator(file));
    }

    @Override
    public INDArray translate(INDArray nchw) {
        long[] s = nchw.shape();
        if (s.length != 4 || s[1] != config.inputNc() || s[2] % sizeMultiple() != 0 || s[3] % sizeMultiple() != 0) {
            throw new UserError("pix2pixHD generator input must be [N, " + config.inputNc() + ", H, W] with H and W multiples of "
                    + sizeMultiple() + ", got " + Arrays.toString(s));
        }
        return graph.output(Map.of(INPUT, nchw.castTo(DataType.FLOAT)), OUTPUT).get(OUTPUT);
    }

    @Override
    public int sizeMultiple() {
        return config.sizeMultiple();
    }

    @Override
    public int inputChannels() {
        return config.inputNc();
    }

    @Override
    public int outputChannels() {
        return config.outputNc();
    }

    @Override
    public String describe() {
        return String.format("pix2pixHD generator (%s), %,d parameters", config.describe(), parameters);
    }

    @Override
    public void export(Path file) {
        try {
            Export.save(graph, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void exportOnnx(Path file) {
        OnnxExport.write(graph, "pix2pixhd_generator",
                List.of(OnnxPort.of(INPUT, "N", config.inputNc(), "H", "W")),
                List.of(OnnxPort.of(OUTPUT, "N", config.outputNc(), "H", "W")),
                Map.of("ukiyoe.network", "pix2pixhd.generator", "ukiyoe.architecture", config.describe(),
                        "ukiyoe.size_multiple", Integer.toString(sizeMultiple())), file);
    }
}
