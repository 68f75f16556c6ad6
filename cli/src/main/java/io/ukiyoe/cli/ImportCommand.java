package io.ukiyoe.cli;

import io.ukiyoe.core.run.Provenance;
import io.ukiyoe.graphs.imports.Importer;
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
                + "safetensors) to a ukiyoe model file.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC", description = "Checkpoint to import.")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "DST.safetensors", description = "Model file to write.")
    Path out;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto | rosinality | ada-pkl | tf-pkl | safetensors (default: ${DEFAULT-VALUE}).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        StyleGanModel m = Importer.importFile(source, Importer.parseFormat(format));
        Map<String, String> meta = new LinkedHashMap<>(m.metadata());
        meta.put("provenance", JsonMapper.builder().build().writeValueAsString(Provenance.capture(null,
                spec.commandLine().getParseResult().originalArgs(), List.of(source))));
        m.with(m.tensors(), meta).write(out);
        var p = Inspect.counts(m);
        spec.commandLine().getOut().printf("imported %s: %d px, %d ws, mapping %,d + synthesis %,d params%s -> %s (%.1f s)%n",
                m.metadata().get("imported_from"), m.config().resolution(), m.config().numWs(), p.mapping(),
                p.synthesis(), m.hasDiscriminator() ? String.format(", discriminator %,d", p.discriminator()) : ", no discriminator",
                out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
