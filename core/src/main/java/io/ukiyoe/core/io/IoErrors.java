package io.ukiyoe.core.io;

import io.ukiyoe.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * File-system failures in the user's words: what happened to which of their paths ("cannot write
 * runs/x/model.safetensors: no space left on device"), never a Java exception class or the hidden
 * temporary name a file was being written under.
 */
public final class IoErrors {
    private IoErrors() {}

    /** Why an I/O operation failed, in a few lowercase words. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "a parent is not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a folder that is not empty is in the way";
        }
        String m = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return "no space left on device";
        }
        if (lower.contains("disk quota")) {
            return "disk quota exceeded";
        }
        if (lower.contains("not a directory")) {
            return "a parent is not a folder";
        }
        if (lower.contains("is a directory")) {
            return "it is a folder";
        }
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (lower.contains("permission denied")) {
            return "permission denied";
        }
        return m;
    }

    /** A one-line error: {@code cannot <verb> <path>: <reason>} (exit code 1). */
    public static UserError cannot(String verb, Path path, IOException e) {
        return new UserError("cannot " + verb + " " + path + ": " + reason(e), e);
    }

    /** The first I/O failure in a chain of causes, or null. */
    public static IOException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
            if (c instanceof UncheckedIOException u) {
                return u.getCause();
            }
        }
        return null;
    }

    /**
     * A one-line description of an I/O failure that no code turned into a {@link UserError}: the path
     * the file system named (a temporary {@code .NAME.xxx.tmp} shown as the file it was to become) and why.
     */
    public static String describe(IOException e) {
        String file = e instanceof FileSystemException fse ? fse.getFile() : null;
        if (file == null) {
            return "I/O error: " + reason(e);
        }
        return "cannot access " + userPath(file) + ": " + reason(e);
    }

    /** {@code dir/.model.safetensors.123.tmp} -> {@code dir/model.safetensors}; other paths unchanged. */
    static String userPath(String file) {
        Path p = Path.of(file);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\.(.+)\\.[^.]+\\.tmp$").matcher(name);
        if (!m.matches()) {
            return file;
        }
        Path parent = p.getParent();
        return parent == null ? m.group(1) : parent.resolve(m.group(1)).toString();
    }
}
