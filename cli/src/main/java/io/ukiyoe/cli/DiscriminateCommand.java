package io.ukiyoe.cli;

import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Shapes;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Discriminator;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe discriminate}: discriminator logits of an image batch. */
@Command(name = "discriminate", mixinStandardHelpOptions = true,
        description = "Run the discriminator on images [N,3,R,R] (.npy) and write logits [N,1].")
final class DiscriminateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Model file or checkpoint with a discriminator.")
    Path model;

    @Option(names = "--images", required = true, paramLabel = "X.npy", description = "float32 [N,3,R,R]; minibatch stddev is taken over this batch in this order.")
    Path images;

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @Option(names = "--out", required = true, paramLabel = "LOGITS.npy", description = "Where to write the logits.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        force.check(out);
        StyleGanModel m = Models.load(model);
        INDArray x = Ops.array(Npy.read(images));
        int r = m.config().resolution();
        Shapes.check(images, x, -1, 3, r, r);
        INDArray logits = new Discriminator(m).logits(x);
        Npy.write(out, io.ukiyoe.core.io.NdArrays.tensor(logits));
        spec.commandLine().getOut().printf("wrote %d logits to %s%n", logits.size(0), out);
        return 0;
    }
}
