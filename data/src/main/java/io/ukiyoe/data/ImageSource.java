package io.ukiyoe.data;

import io.ukiyoe.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The image files of a folder (recursive) or a zip, in a stable (sorted) order. */
public final class ImageSource implements AutoCloseable {
    private final Path path;
    private final List<String> names;
    private final ZipFile zip;

    private ImageSource(Path path, List<String> names, ZipFile zip) {
        this.path = path;
        this.names = names;
        this.zip = zip;
    }

    static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    public static ImageSource open(Path path) {
        try {
            if (Files.isDirectory(path)) {
                List<String> names;
                try (Stream<Path> s = Files.walk(path)) {
                    names = s.filter(Files::isRegularFile).filter(p -> isImage(p.getFileName().toString()))
                            .map(p -> path.relativize(p).toString().replace('\\', '/')).sorted().toList();
                }
                return new ImageSource(path, names, null);
            }
            if (Files.isRegularFile(path) && path.toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                ZipFile zip = new ZipFile(path.toFile());
                List<String> names = new ArrayList<>();
                zip.stream().filter(e -> !e.isDirectory() && isImage(e.getName())).map(ZipEntry::getName)
                        .sorted(Comparator.naturalOrder()).forEach(names::add);
                return new ImageSource(path, names, zip);
            }
            throw new UserError(path + ": no such folder or .zip of images");
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** As {@link #open}, and also one image file (a source of that one photo). */
    public static ImageSource openPhotos(Path path) {
        if (Files.isRegularFile(path) && isImage(path.getFileName().toString())) {
            Path folder = path.toAbsolutePath().getParent();
            return new ImageSource(folder, List.of(path.getFileName().toString()), null);
        }
        return open(path);
    }

    public Path path() {
        return path;
    }

    public List<String> names() {
        return names;
    }

    public byte[] bytes(String name) {
        try {
            if (zip == null) {
                return Files.readAllBytes(path.resolve(name));
            }
            ZipEntry e = zip.getEntry(name);
            try (var in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text entry of a zip (e.g. the manifest of a prepared dataset), or null. */
    public String text(String name) {
        if (zip == null || zip.getEntry(name) == null) {
            return null;
        }
        try (var in = zip.getInputStream(zip.getEntry(name))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (zip != null) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
