package io.ukiyoe.core.io;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/**
 * CSV rows of the results tables, landmark files and blend reports, read and written with Jackson's
 * CSV format (RFC 4180: quotes doubled). Results tables quote every text cell and leave numbers and
 * status words bare ({@link Raw}); reports quote a cell only where CSV needs it.
 */
public final class Csv {
    private static final CsvMapper QUOTED = CsvMapper.builder().enable(CsvWriteFeature.ALWAYS_QUOTE_STRINGS).build();
    private static final CsvMapper PLAIN = CsvMapper.builder().enable(CsvWriteFeature.STRICT_CHECK_FOR_QUOTING).build();
    private static final CsvMapper READER = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();

    private Csv() {}

    /** A cell written as given, never quoted: a number the table formats itself, a status word. */
    public record Raw(String text) {}

    /** A number formatted as the table wants it ({@code %.6f}, {@code %d}), written bare. */
    public static Raw number(String format, Object value) {
        return new Raw(String.format(Locale.ROOT, format, value));
    }

    /** One results-table line (no line end): strings quoted, {@link Raw} cells bare. */
    public static String row(Object... cells) {
        return write(QUOTED, cells);
    }

    /** One report line (no line end): a cell is quoted only when it holds a comma, quote or line break. */
    public static String plainRow(Object... cells) {
        return write(PLAIN, cells);
    }

    private static String write(CsvMapper mapper, Object[] cells) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = mapper.createGenerator(w)) {
            g.writeStartArray();
            for (Object c : cells) {
                if (c instanceof Raw r) {
                    g.writeRawValue(r.text());
                } else {
                    g.writeString(c == null ? "" : c.toString());
                }
            }
            g.writeEndArray();
        }
        String s = w.toString();
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** The cells of one line, quotes removed; none when the line is not whole (a row cut short by a crash). */
    public static List<String> split(String line) {
        try (MappingIterator<String[]> it = READER.readerFor(String[].class).readValues(line)) {
            return it.hasNext() ? Arrays.asList(it.next()) : List.of();
        } catch (JacksonException e) {
            return List.of();
        }
    }

    /**
     * Appends one row to a results table, writing the header first when the file is new: each row is
     * on disk as soon as its candidate ends, so a crash loses at most the row being written.
     */
    public static void appendRow(Path file, String header, String row) {
        try {
            boolean fresh = !Files.exists(file);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                if (fresh) {
                    w.write(header + "\n");
                }
                w.write(row + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
