package org.cllmlab.strategies;

import com.google.inject.Provider;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Named implementations of one SPI, as bound by the family modules. {@link #create} makes a fresh
 * instance for every run; an unknown name fails with the list of known names.
 *
 * @param <T> the SPI
 */
public final class Registry<T> {

    private final String kind;
    private final SortedMap<String, Provider<T>> providers;
    private final Function<T, String> nameOf;

    Registry(String kind, Map<String, Provider<T>> providers, Function<T, String> nameOf) {
        this.kind = kind;
        this.providers = Collections.unmodifiableSortedMap(new TreeMap<>(providers));
        this.nameOf = nameOf;
    }

    /** What this registry holds, e.g. {@code strategy}: the spec field and CLI flag it serves. */
    public String kind() {
        return kind;
    }

    /** The bound names, sorted. */
    public java.util.SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new java.util.TreeSet<>(providers.keySet()));
    }

    public boolean contains(String name) {
        return providers.containsKey(name);
    }

    /**
     * A fresh instance of {@code name}.
     *
     * @throws UnknownNameException naming the field, the value and the known names
     */
    public T create(String name) {
        Provider<T> p = providers.get(name);
        if (p == null) {
            throw new UnknownNameException(kind, name, names());
        }
        T instance = p.get();
        String actual = nameOf.apply(instance);
        if (!name.equals(actual)) {
            throw new IllegalStateException(kind + " bound as '" + name + "' calls itself '" + actual + "'");
        }
        return instance;
    }

    /** An unknown name: the message names the field, the value and what was expected. */
    public static final class UnknownNameException extends IllegalArgumentException {
        UnknownNameException(String kind, String name, java.util.Set<String> known) {
            super(kind + ": '" + name + "' is unknown; expected one of " + String.join(", ", known));
        }
    }
}
