package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.io.Npy;
import io.ukiyoe.core.io.Shapes;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.generate.Latents;
import io.ukiyoe.graphs.model.StyleGanConfig;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import io.ukiyoe.graphs.stylegan2.Ops;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ukiyoe generate}: images from seeds, z vectors or W+ latents. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate images from seeds (same z as stylegan2-ada's generate.py), z or W+ arrays.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Model file or checkpoint.")
    Path model;

    static final class Input {
        @Option(names = "--seeds", paramLabel = "SEEDS", description = "Seeds, e.g. 0-15 or 1,7,42: z = RandomState(seed).randn(1, z_dim).")
        String seeds;

        @Option(names = "--z", paramLabel = "Z.npy", description = "Latents z [N, z_dim].")
        Path z;

        @Option(names = "--ws", paramLabel = "WS.npy", description = "Per-layer latents W+ [N, num_ws, w_dim] (used as given): "
                + ".npy, or .npz with key 'w' (stylegan2-ada's projected_w.npz).")
        Path ws;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--truncation", defaultValue = "1", paramLabel = "PSI", description = "Truncation psi (default: ${DEFAULT-VALUE} = none).")
    double psi;

    @Option(names = "--truncation-cutoff", paramLabel = "K", description = "Truncate only the first K ws (default: all).")
    Integer cutoff;

    @Option(names = "--noise", defaultValue = "const", paramLabel = "MODE", description = "const | random | none (default: ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--noise-seed", defaultValue = "0", paramLabel = "S", description = "Random noise: image i uses seed S+i, or its own seed with --seeds.")
    long noiseSeed;

    @Option(names = "--mix-z", paramLabel = "Z2.npy", description = "Style mixing: latents for layers [K, num_ws).")
    Path mixZ;

    @Option(names = "--mix-index", paramLabel = "K", description = "First layer taken from --mix-z.")
    Integer mixIndex;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder, new or empty (default runs/generate-<time>).")
    Path out;

    @Option(names = "--npy", description = "Also write DIR/images.npy (raw output, float32 [N,3,R,R]) and DIR/ws.npy.")
    boolean npy;

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @Option(names = "--grid", paramLabel = "FILE.png", description = "Also write all images as one grid.")
    Path grid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        force.check(grid);
        Generator.NoiseMode mode = switch (noise) {
            case "const" -> Generator.NoiseMode.CONST;
            case "random" -> Generator.NoiseMode.RANDOM;
            case "none" -> Generator.NoiseMode.NONE;
            default -> throw new UserError("--noise: must be const, random or none, got '" + noise + "'", 2, null);
        };
        Args.positive("--batch", batch);
        if ((mixZ == null) != (mixIndex == null)) {
            throw new UserError("--mix-z and --mix-index go together", 2, null);
        }
        if (input.ws != null && (mixZ != null || psi != 1)) {
            throw new UserError("--ws is used as given: --truncation and --mix-z apply to z inputs only", 2, null);
        }
        List<Path> inputs = new ArrayList<>();
        inputs.add(model);
        StyleGanModel m = Models.load(model);
        StyleGanConfig c = m.config();
        Generator g = new Generator(m);
        Latents rows;
        if (input.ws != null) {
            inputs.add(input.ws);
            INDArray ws = Ops.array(Npy.readArray(input.ws, "w"));   // .npy, or stylegan2-ada's projected_w.npz
            Shapes.check(input.ws, ws, -1, c.numWs(), c.wDim());
            rows = Latents.ofWs(ws);
        } else {
            INDArray z2 = null;
            long n = -1;
            INDArray z = null;
            List<Long> seeds = null;
            if (input.seeds != null) {
                seeds = Args.seeds("--seeds", input.seeds);
                n = seeds.size();
            } else {
                inputs.add(input.z);
                z = Ops.array(Npy.read(input.z));
                Shapes.check(input.z, z, -1, c.zDim());
                n = z.size(0);
            }
            if (mixZ != null) {
                inputs.add(mixZ);
                z2 = Ops.array(Npy.read(mixZ));
                Shapes.check(mixZ, z2, n, c.zDim());
                if (mixIndex < 0 || mixIndex > c.numWs()) {
                    throw new UserError("--mix-index: must be in [0, " + c.numWs() + "], got " + mixIndex, 2, null);
                }
            }
            Generator.Truncation t = new Generator.Truncation(psi, cutoff);
            int mix = mixIndex == null ? 0 : mixIndex;
            rows = seeds != null ? Latents.ofSeeds(g, seeds, noiseSeed, t, z2, mix, batch)
                    : Latents.ofZ(g, z, t, z2, mix, batch);
        }
        final Latents latents = rows.forNoise(mode);
        RunFolder run = Jobs.open("generate", out, input.seeds != null ? null : noiseSeed,
                spec.commandLine().getParseResult().originalArgs(), inputs);
        Jobs.guarded(run, () -> hasPng(run.dir()), () -> {
            long n = latents.ws().size(0);
            INDArray images = Nd4j.create(DataType.FLOAT, n, 3, c.resolution(), c.resolution());
            List<BufferedImage> pictures = new ArrayList<>();
            Progress progress = new Progress(spec.commandLine().getErr(), "generate", n);
            latents.render(g, mode, batch, (i, img) -> {
                images.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(img);
                BufferedImage p = Images.toImage(img);
                Images.writePng(run.resolve(latents.names().get(i) + ".png"), p);
                pictures.add(p);
            }, progress::update);
            progress.done();
            if (npy) {
                try {
                    Npy.write(run.resolve("images.npy"), io.ukiyoe.core.io.NdArrays.tensor(images));
                    Npy.write(run.resolve("ws.npy"), io.ukiyoe.core.io.NdArrays.tensor(latents.ws()));
                } catch (UserError e) {
                    throw new UserError(e.getMessage() + " (the " + n + " PNGs in " + run.dir() + " are complete; "
                            + "images.npy and ws.npy are missing)", e);
                }
            }
            if (grid != null) {
                Images.writePng(grid, Images.grid(pictures, (int) Math.ceil(Math.sqrt(pictures.size())), null));
            }
            run.log("wrote " + n + " images");
            spec.commandLine().getOut().printf("wrote %d images to %s%s%n", n, run.dir(),
                    grid != null ? " and a grid to " + grid : "");
        });
        return 0;
    }

    private static boolean hasPng(Path dir) {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".png"));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
