package io.ukiyoe.graphs.model;

/** A {@link NetworkFamily} whose format tag, format version and display name are fixed when it is made. */
public abstract class NamedFamily implements NetworkFamily {
    private final String format;
    private final String formatVersion;
    private final String displayName;

    protected NamedFamily(String format, String formatVersion, String displayName) {
        this.format = format;
        this.formatVersion = formatVersion;
        this.displayName = displayName;
    }

    @Override
    public final String format() {
        return format;
    }

    @Override
    public final String formatVersion() {
        return formatVersion;
    }

    @Override
    public final String displayName() {
        return displayName;
    }
}
