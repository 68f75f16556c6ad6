package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigException;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.Pos;
import io.ukiyoe.core.config.YamlTree;
import io.ukiyoe.eval.faces.Faces;
import io.ukiyoe.training.project.ToonifyConfig;
import io.ukiyoe.training.project.ToonifyJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ukiyoe toonify}: photo -> (faces aligned) -> projection into the base -> the same latent through the
 * blended model (and the student), from a {@code kind: toonify} config, flags, or both (flags win).
 */
@Command(name = "toonify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Align every face (--landmarks or --detect), project it into the base model, render the latent and "
                + "noise maps with the blended model (and the face with --student): NAME-ukiyoe.png, NAME-student.png, "
                + "NAME-grid.png (photo | aligned | projection | blended | student), grid.png, toonify-report.csv and "
                + "the project outputs. Settings from a 'kind: toonify' config and/or flags (flags override the file).")
final class ToonifyCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "A 'kind: toonify' config.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a config setting (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--base", paramLabel = "BASE", description = "The model projected into (e.g. FFHQ).")
    String base;

    @Option(names = "--blended", paramLabel = "BLENDED", description = "The blended model that renders the latents.")
    String blended;

    @Option(names = "--images", paramLabel = "PHOTOS", description = "Photo file, folder or .zip (EXIF orientation applied).")
    String images;

    @Option(names = "--detect", paramLabel = "DIR",
            description = "Find every face with MTCNN: the folder with facenet-pytorch's pnet.pt, rnet.pt, onet.pt (or its imported file).")
    String detect;

    @Option(names = "--landmarks", paramLabel = "PATH", description = "Or align the faces from these landmarks (with --format).")
    String landmarks;

    @Option(names = "--format", paramLabel = "FMT", description = "rekognition | dlib68 | five-point (with --landmarks).")
    String format;

    @Option(names = "--student", paramLabel = "STUDENT", description = "Also run this pix2pixHD student (distill train) on each aligned face.")
    String student;

    @Option(names = "--lpips-vgg", paramLabel = "VGG16.pth", description = "torchvision's vgg16 weights for LPIPS (with --lpips-lin).")
    String lpipsVgg;

    @Option(names = "--lpips-lin", paramLabel = "LIN.pth", description = "lpips weights/v0.1/vgg.pth. Without LPIPS: a pixel-pyramid loss.")
    String lpipsLin;

    @Option(names = "--w-plus", description = "Optimise one latent per layer (W+) instead of one w.")
    boolean wPlus;

    @Option(names = "--steps", paramLabel = "N", description = "Steps of the schedule (default 1000).")
    String steps;

    @Option(names = "--latent-noise", paramLabel = "S", description = "Latent noise scale (projector.py's --noise; default 0.05).")
    String latentNoise;

    @Option(names = "--mse", paramLabel = "W", description = "Weight of a pixel MSE term (projector.py's --mse; default 0).")
    String mse;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the mean latent, start noise and latent noise (default 1).")
    String seed;

    @Option(names = "--video", description = "Also write NAME.mp4: target | projection at every step.")
    boolean video;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder.")
    String out;

    @Mixin
    ForceOption force = new ForceOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig<ToonifyConfig> cfg = ExperimentConfig.fromTree(tree(), file == null ? Path.of("command line") : file,
                overrides, Kinds.all(), "toonify", ToonifyConfig.class);
        ToonifyConfig c = cfg.value();
        var err = spec.commandLine().getErr();
        Progress[] photos = new Progress[1];
        io.ukiyoe.training.project.ProjectJob.Listener[] bars = new io.ukiyoe.training.project.ProjectJob.Listener[1];
        ToonifyJob.Summary s = Quiet.call(spec, () -> ToonifyJob.run(c, ToonifyCommand::faces, force.force, new ToonifyJob.Listener() {
            @Override
            public void photos(int done, int total) {
                if (photos[0] == null) {
                    photos[0] = new Progress(err, "faces", total);
                }
                photos[0].update(done);
                if (done == total) {
                    photos[0].done();
                }
            }

            @Override
            public void projecting(List<String> names, String loss) {
                err.println("toonify: projecting " + names.size() + " face(s) with " + loss);
                bars[0] = ProjectionOptions.progress(err, names);
            }

            @Override
            public void step(int target, int targets, io.ukiyoe.training.project.Projector.Step step, int total) {
                bars[0].step(target, targets, step, total);
            }
        }));
        var o = spec.commandLine().getOut();
        s.withoutFaces().forEach((name, reason) -> o.printf("  %s: %s%n", name, reason));
        for (String n : s.faces()) {
            o.println(n + ": " + c.out().resolve(n + "-ukiyoe.png"));
        }
        o.printf("%d face(s) from %d photo(s) -> %s%s%n", s.faces().size(), s.images(), c.out(), s.aligned()
                ? String.format(" (%d photo(s) without a face, %d face(s) skipped; see %s)", s.withoutFaces().size(),
                s.skippedFaces(), c.out().resolve(ToonifyJob.REPORT)) : "");
        return 0;
    }

    /** The config's tree (the file's, or a new one) with every flag given put over its key. */
    private Node.Mapping tree() {
        Node.Mapping root;
        if (file != null) {
            Node n = YamlTree.parseFile(file);
            if (!(n instanceof Node.Mapping m)) {
                throw new ConfigException(n.pos(), "a config must be a mapping of keys");
            }
            root = m;
        } else {
            if (base == null || blended == null || images == null || out == null) {
                throw new UserError("toonify: --base, --blended, --images and --out are required (or give a CONFIG.yaml)", 2, null);
            }
            root = new Node.Mapping(new Pos("command line", 1, 1), new LinkedHashMap<>());
            ConfigFlags.put(root, "kind", "toonify", "toonify");
        }
        Map<String, String[]> flags = new LinkedHashMap<>();   // key -> {flag, YAML value}
        path(flags, "base", "--base", base);
        path(flags, "blended", "--blended", blended);
        path(flags, "images", "--images", images);
        path(flags, "detector", "--detect", detect);
        path(flags, "landmarks.file", "--landmarks", landmarks);
        flags.put("landmarks.format", new String[] {"--format", format});
        path(flags, "student", "--student", student);
        path(flags, "lpips.vgg", "--lpips-vgg", lpipsVgg);
        path(flags, "lpips.lin", "--lpips-lin", lpipsLin);
        flags.put("projection.w_plus", new String[] {"--w-plus", wPlus ? "true" : null});
        flags.put("projection.steps", new String[] {"--steps", steps});
        flags.put("projection.latent_noise", new String[] {"--latent-noise", latentNoise});
        flags.put("projection.mse", new String[] {"--mse", mse});
        flags.put("projection.seed", new String[] {"--seed", seed});
        flags.put("video", new String[] {"--video", video ? "true" : null});
        path(flags, "out", "--out", out);
        flags.forEach((key, f) -> {
            if (f[1] != null) {
                ConfigFlags.put(root, key, f[1], f[0] + " " + f[1]);
            }
        });
        return root;
    }

    /** The config's face source: MTCNN with its detector, its landmarks, or none (photos used whole). */
    private static io.ukiyoe.data.align.AlignJob.FaceSource faces(ToonifyConfig c) {
        return c.detector() != null ? Faces.detected(c.detector())
                : c.landmarks() != null ? Faces.landmarks(c.landmarks().file(), c.landmarks().format()) : null;
    }

    private static void path(Map<String, String[]> flags, String key, String flag, String value) {
        flags.put(key, new String[] {flag, value == null ? null : ConfigFlags.quoted(value)});
    }
}
