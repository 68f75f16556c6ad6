package io.ukiyoe.swap;

import io.ukiyoe.core.UserError;
import io.ukiyoe.core.config.ConfigWriter;
import io.ukiyoe.core.config.ExperimentConfig;
import io.ukiyoe.core.io.AtomicFiles;
import io.ukiyoe.core.io.Hashing;
import io.ukiyoe.data.Images;
import io.ukiyoe.graphs.generate.SeedImages;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.StyleGanModel;
import io.ukiyoe.graphs.stylegan2.Generator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The {@code blend} job: load, check, blend, write the model and its report, render the preview. */
public final class BlendJob {
    private BlendJob() {}

    /** Two models that passed every check, with their files' hashes. */
    public record Inputs(StyleGanModel base, StyleGanModel target, String baseSha256, String targetSha256) {}

    /**
     * Loads both models and checks the config against them; errors point into the config file. Nothing
     * is written by this step.
     */
    public static Inputs prepare(ExperimentConfig<BlendConfig> cfg) {
        BlendConfig c = cfg.value();
        StyleGanModel base = Importer.importFile(c.base(), Importer.Format.AUTO);
        StyleGanModel target = Importer.importFile(c.target(), Importer.Format.AUTO);
        Blender.requireCompatible(c.base(), c.target(), base, target);
        if (c.mapping() == BlendOptions.Source.BLEND && !(c.schedule() instanceof Schedule.Uniform)) {
            throw cfg.bound().error("mapping", "'blend' needs the uniform schedule (use base or target)");
        }
        if (c.wAvg() == BlendOptions.Source.BLEND && !(c.schedule() instanceof Schedule.Uniform)) {
            throw cfg.bound().error("w_avg", "'blend' needs the uniform schedule (use base or target)");
        }
        Map<String, String> problems = Blender.scheduleProblems(c.schedule(), c.options(),
                base.config().resolution(), base.tensors().keySet());
        if (!problems.isEmpty()) {
            var first = problems.entrySet().iterator().next();
            throw cfg.bound().error(first.getKey(), first.getValue());
        }
        return new Inputs(base, target, Hashing.sha256(c.base()), Hashing.sha256(c.target()));
    }

    /** Blends, writes the model (atomically) and the report beside it; returns the result. */
    public static Blender.Result run(ExperimentConfig<BlendConfig> cfg, Inputs in, String provenanceJson) {
        BlendConfig c = cfg.value();
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, Object> blend = new LinkedHashMap<>(ConfigWriter.toTree(c));
        blend.remove("preview");
        blend.remove("name");
        meta.put("blend", tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(blend));
        meta.put("base_sha256", in.baseSha256());
        meta.put("target_sha256", in.targetSha256());
        meta.put("provenance", provenanceJson);
        Blender.Result r = Blender.blend(in.base(), in.target(), c.options(), meta);
        r.model().write(c.out());
        try {
            AtomicFiles.writeString(reportPath(c.out()), Blender.reportCsv(r.report()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    /** {@code x.safetensors} -> {@code x.blend.csv}. */
    public static Path reportPath(Path out) {
        String n = out.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return out.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".blend.csv");
    }

    /**
     * The preview grid: a row per seed with base | target | blended, the same z (numpy seed) and the
     * same random noise (seeded by the seed) for all three, truncated towards each model's w_avg.
     */
    public static BufferedImage preview(StyleGanModel base, StyleGanModel target, StyleGanModel blended,
                                        List<Long> seeds, double psi) {
        return preview(base, target, blended, seeds, psi, done -> { });
    }

    /** As above; {@code rendered} hears how many of the three models have rendered the seeds. */
    public static BufferedImage preview(StyleGanModel base, StyleGanModel target, StyleGanModel blended,
                                        List<Long> seeds, double psi, java.util.function.IntConsumer rendered) {
        List<BufferedImage> cells = new ArrayList<>();
        List<INDArray> images = new ArrayList<>();
        for (StyleGanModel m : List.of(base, target, blended)) {
            images.add(SeedImages.images(new Generator(m), seeds, psi));
            rendered.accept(images.size());
        }
        for (int i = 0; i < seeds.size(); i++) {
            for (INDArray img : images) {
                cells.add(Images.toImage(img.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all())));
            }
        }
        return Images.grid(cells, 3, List.of("base", "target", "blended"));
    }
}
