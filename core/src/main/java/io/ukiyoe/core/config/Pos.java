package io.ukiyoe.core.config;

/**
 * Where a config value came from: a file position (1-based line and column) or a command-line
 * override ({@code --set key=value}, line 0).
 */
public record Pos(String source, int line, int col) {
    public static Pos override(String setArgument) {
        return new Pos("--set " + setArgument, 0, 0);
    }

    public boolean isOverride() {
        return line == 0;
    }

    @Override
    public String toString() {
        return isOverride() ? source : source + ":" + line + ":" + col;
    }
}
