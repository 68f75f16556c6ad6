package io.ukiyoe.cli;

import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFamilies;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.model.ParameterCounts;
import io.ukiyoe.graphs.model.StyleGanModel;
import java.nio.file.Path;
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

/** {@code ukiyoe import}: a public checkpoint to a ukiyoe model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert a StyleGAN2 checkpoint (rosinality .pt, stylegan2-ada/stylegan3 .pkl, TensorFlow .pkl, "
                + "safetensors), a torch state dict of another network ukiyoe knows, or a folder with MTCNN's pnet.pt, rnet.pt, "
                + "onet.pt, to a ukiyoe model file.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC", description = "Checkpoint to import.")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "DST.safetensors", description = "Model file to write.")
    Path out;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto | rosinality | ada-pkl | tf-pkl | safetensors (default: ${DEFAULT-VALUE}).")
    String format;

    @picocli.CommandLine.Mixin
    ForceOption force = new ForceOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        long t0 = System.nanoTime();
        force.check(out);
        Importer.Imported imported = Importer.importAny(source, Importer.parseFormat(format));
        // an FFHQ pickle takes seconds each way; the bar starts once the source has read well (a bad file: one line)
        Progress bar = new Progress(spec.commandLine().getErr(), "import", 2);
        bar.update(1, "read " + source.getFileName() + ", writing " + out.getFileName());
        Map<String, String> sourceMeta = imported.styleGan() != null ? imported.styleGan().metadata()
                : imported.network().metadata();
        // the importer already hashed the source: reuse it rather than reading the file again
        Provenance p0 = Provenance.capture(null, spec.commandLine().getParseResult().originalArgs(), List.of());
        Provenance prov = new Provenance(p0.project(), p0.gitCommit(), p0.gitDirty(), p0.dl4j(), p0.backend(),
                p0.backendArtifact(), p0.java(), p0.os(), p0.cpu(), null, p0.command(), p0.created(),
                List.of(new Provenance.Input(source.toString(), java.nio.file.Files.size(source),
                        sourceMeta.containsKey("imported_sha256") ? sourceMeta.get("imported_sha256")
                                : io.ukiyoe.core.io.Hashing.sha256(source))));
        String provJson = JsonMapper.builder().build().writeValueAsString(prov);
        if (imported.network() != null) {
            NetworkFile f = imported.network();
            f.metadata().put("provenance", provJson);
            f.write(out);
            bar.update(2);
            bar.done();
            spec.commandLine().getOut().printf("imported %s: %s -> %s (%.1f s)%n", f.metadata().get("imported_from"),
                    NetworkFamilies.forFormat(f.format()).orElseThrow().describe(f), out, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
        StyleGanModel m = imported.styleGan();
        Map<String, String> meta = new LinkedHashMap<>(m.metadata());
        meta.put("provenance", provJson);
        m.with(m.tensors(), meta).write(out);
        bar.update(2);
        bar.done();
        var p = ParameterCounts.of(m);
        spec.commandLine().getOut().printf("imported %s: %d px, %d ws, mapping %,d + synthesis %,d params%s -> %s (%.1f s)%n",
                m.metadata().getOrDefault("imported_from", "ukiyoe file " + source.getFileName()), m.config().resolution(), m.config().numWs(), p.mapping(),
                p.synthesis(), m.hasDiscriminator() ? String.format(", discriminator %,d", p.discriminator()) : ", no discriminator",
                out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
