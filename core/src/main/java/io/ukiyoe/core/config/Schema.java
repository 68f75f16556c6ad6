package io.ukiyoe.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Annotations that turn a Java record into a strict config schema. Keys are the record component
 * names in snake_case unless {@link Key} says otherwise.
 */
public final class Schema {
    private Schema() {}

    /** Default value as YAML text; {@code "null"} makes the key optional with no value. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Default {
        String value();
    }

    /** The YAML key of a component, when snake_case of its Java name is not right. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Key {
        String value();
    }

    /** The number must be > 0. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Positive {}

    /** The number must be >= 0. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface NonNegative {}

    /** The number must lie in [min, max]. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Range {
        double min();

        double max();
    }

    /** The integer must be a power of two in [min, max]. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface PowerOfTwo {
        int min() default 1;

        int max() default 1 << 30;
    }

    /**
     * On a sealed interface: the key whose value selects the implementing record (e.g. {@code type}).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Discriminator {
        String value() default "type";
    }

    /** On a record implementing a {@link Discriminator} interface: the value that selects it. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Variant {
        String value();
    }
}
