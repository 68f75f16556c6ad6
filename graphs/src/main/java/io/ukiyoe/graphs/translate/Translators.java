package io.ukiyoe.graphs.translate;

import io.ukiyoe.core.UserError;
import io.ukiyoe.graphs.imports.Importer;
import io.ukiyoe.graphs.model.NetworkFile;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDFiles;
import io.ukiyoe.graphs.pix2pixhd.Pix2PixHDTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Loads a {@link Translator} from a model file by its format tag. */
public final class Translators {
    /** Format tag to loader; add a line per translator network. */
    private static final Map<String, Function<Path, Translator>> LOADERS = new LinkedHashMap<>();

    static {
        LOADERS.put(Pix2PixHDFiles.FORMAT, Pix2PixHDTranslator::load);
    }

    private Translators() {}

    /** Whether a file is a model file some translator reads (so other commands can dispatch on it). */
    public static boolean handles(Path file) {
        if (!Files.isRegularFile(file) || !Importer.looksLikeSafetensors(file)) {
            return false;
        }
        return LOADERS.containsKey(NetworkFile.formatOf(file));
    }

    /** The translator in a model file; a one-line error naming the file otherwise. */
    public static Translator load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such file");
        }
        if (!Importer.looksLikeSafetensors(file)) {
            throw new UserError(file + ": not a model file (convert checkpoints with 'ukiyoe import' first)");
        }
        String format = NetworkFile.formatOf(file);
        if (io.ukiyoe.graphs.model.StyleGanModel.FORMAT.equals(format)) {
            throw new UserError(file + ": a StyleGAN2 generator, not an image-to-image network (give a student from "
                    + "'ukiyoe distill train' or an imported pix2pixHD generator)");
        }
        Function<Path, Translator> loader = LOADERS.get(format);
        if (loader == null) {
            throw new UserError(file + ": " + (format == null ? "no format tag" : "format '" + format + "'")
                    + " is not an image-to-image network (known: " + String.join(", ", LOADERS.keySet()) + ")");
        }
        return loader.apply(file);
    }
}
