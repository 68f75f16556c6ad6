package io.ukiyoe.core.cluster;

import java.io.Serializable;
import java.util.function.Function;

/**
 * The work done for one item of a {@link Cluster#map}: serializable, so an engine can ship it to another
 * JVM. It captures only small values (strings, numbers, configs as text); models and datasets are read
 * on the worker from paths it can see, once per worker JVM ({@link WorkerCache}).
 */
@FunctionalInterface
public interface Task<T, R> extends Function<T, R>, Serializable {}
