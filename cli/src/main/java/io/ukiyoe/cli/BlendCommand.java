package io.ukiyoe.cli;

import io.ukiyoe.core.UserError;

import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.config.Node;
import io.ukiyoe.core.config.YamlTree;
import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.core.run.RunFolder;
import io.ukiyoe.data.Images;
import io.ukiyoe.swap.BlendConfig;
import io.ukiyoe.swap.BlendFlags;
import io.ukiyoe.swap.BlendJob;
import io.ukiyoe.swap.Blender;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code ukiyoe blend}: blend two models layer by layer, from a config or from flags. */
@Command(name = "blend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Blend a base model with a model fine-tuned from it, layer by layer (kind: blend config or flags).")
final class BlendCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "A 'kind: blend' config.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a config setting (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--base", paramLabel = "A", description = "Base model (alpha 0), e.g. FFHQ.")
    String base;

    @Option(names = "--target", paramLabel = "B", description = "Model fine-tuned from the base (alpha 1).")
    String target;

    @Option(names = "--schedule", paramLabel = "TYPE", description = "swap | swap-pinkney | sigmoid | linear | uniform | table.")
    String schedule;

    @Option(names = "--resolution", paramLabel = "S", description = "swap / swap-pinkney / sigmoid resolution.")
    String resolution;

    @Option(names = "--width", paramLabel = "W", description = "sigmoid width.")
    String width;

    @Option(names = "--level", paramLabel = "L", description = "swap-pinkney / sigmoid level (0 or 1).")
    String level;

    @Option(names = "--start", paramLabel = "S0", description = "linear: last resolution with alpha 0.")
    String start;

    @Option(names = "--end", paramLabel = "S1", description = "linear: first resolution with alpha 1.")
    String end;

    @Option(names = "--alpha", paramLabel = "A", description = "uniform alpha.")
    String alpha;

    @Option(names = "--alphas", paramLabel = "MAP", description = "table alphas, e.g. '{4: 0, 8: 0.2, 16: 1}'.")
    String alphas;

    @Option(names = "--mapping", paramLabel = "SRC", description = "base | target | blend.")
    String mapping;

    @Option(names = "--noise", paramLabel = "SRC", description = "base | target.")
    String noise;

    @Option(names = "--discriminator", paramLabel = "SRC", description = "base | target | drop.")
    String discriminator;

    @Option(names = "--layer", paramLabel = "GLOB=ALPHA", description = "Alpha override for matching tensors (repeatable).")
    List<String> layers = new ArrayList<>();

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @Option(names = "--out", paramLabel = "OUT.safetensors", description = "The blended model file.")
    String out;

    @Option(names = "--preview-seeds", paramLabel = "SEEDS", description = "Also render base | target | blended for these seeds.")
    String previewSeeds;

    @Option(names = "--truncation", paramLabel = "PSI", description = "Preview truncation (default 0.7).")
    String truncation;

    @Option(names = "--grid", paramLabel = "FILE.png", description = "Where to write the preview grid.")
    String grid;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default runs/blend-<time>[-name]).")
    Path runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Node.Mapping root;
        if (file != null) {
            Node n = YamlTree.parseFile(file);
            if (!(n instanceof Node.Mapping m)) {
                throw new io.ukiyoe.core.config.ConfigException(n.pos(), "a config must be a mapping of keys");
            }
            root = m;
        } else {
            if (out == null) {
                throw new UserError("blend: --out OUT.safetensors is required (or give a CONFIG.yaml with out:)", 2, null);
            }
            root = BlendFlags.emptyBlend();
        }
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("base", base);
        flags.put("target", target);
        flags.put("schedule", schedule);
        flags.put("resolution", resolution);
        flags.put("width", width);
        flags.put("level", level);
        flags.put("start", start);
        flags.put("end", end);
        flags.put("alpha", alpha);
        flags.put("alphas", alphas);
        flags.put("mapping", mapping);
        flags.put("noise", noise);
        flags.put("discriminator", discriminator);
        flags.put("out", out);
        Map<String, String> preview = new LinkedHashMap<>();
        preview.put("seeds", previewSeeds);
        preview.put("truncation", truncation);
        preview.put("grid", grid);
        BlendFlags.apply(root, flags, layers, preview);
        ExperimentConfig<BlendConfig> cfg = ExperimentConfig.fromTree(root, file == null ? Path.of("command line") : file,
                overrides, Kinds.all(), "blend", BlendConfig.class);
        BlendConfig c = cfg.value();
        var outw = spec.commandLine().getOut();
        BlendJob.Inputs in = BlendJob.prepare(cfg);   // every check before anything is written
        force.check(c.out(), c.preview() == null ? null : c.preview().grid());   // the report beside the model follows it
        List<String> argv = spec.commandLine().getParseResult().originalArgs();
        List<Path> inputs = new ArrayList<>(List.of(c.base(), c.target()));
        if (file != null) {
            inputs.add(0, file);
        }
        RunFolder run = RunFolder.create(Path.of("runs"), "blend", c.name(), runDir, "--run-dir", LocalDateTime.now());
        Jobs.guarded(run, () -> java.nio.file.Files.exists(c.out()), () -> {
            Provenance prov = Provenance.capture(null, argv, inputs);
            run.writeConfig(cfg.resolvedYaml());
            run.writeProvenance(prov);
            run.log("ukiyoe " + String.join(" ", argv));
            Blender.Result r = BlendJob.run(cfg, in, JsonMapper.builder().build().writeValueAsString(prov));
            run.write("blend.csv", Blender.reportCsv(r.report()));
            long blended = r.report().stream().filter(e -> e.source().equals("blend")).count();
            long fromTarget = r.report().stream().filter(e -> e.source().equals("target")).count();
            run.log("wrote " + c.out());
            outw.printf("blended %s + %s -> %s (%d tensors: %d from the target, %d interpolated; report %s)%n",
                    c.base(), c.target(), c.out(), r.report().size(), fromTarget, blended, BlendJob.reportPath(c.out()));
            if (c.preview() != null) {
                Path g = c.preview().grid() != null ? c.preview().grid() : run.resolve("preview.png");
                Progress bar = new Progress(spec.commandLine().getErr(), "preview", 3);
                Images.writePng(g, BlendJob.preview(in.base(), in.target(), r.model(), c.preview().seeds().values(),
                        c.preview().truncation(), bar::update));
                bar.done();
                run.log("wrote preview " + g);
                outw.printf("preview (base | target | blended per seed): %s%n", g);
            }
            outw.printf("run folder: %s%n", run.dir());
        });
        outw.flush();
        return 0;
    }
}
