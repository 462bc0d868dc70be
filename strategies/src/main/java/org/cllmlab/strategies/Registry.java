package org.cllmlab.strategies;

import com.google.inject.Provider;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Named implementations of one SPI, as bound by the family modules and the plug-ins. {@link #create}
 * makes a fresh instance for every run; an unknown name fails with the list of known names.
 *
 * @param <T> the SPI
 */
public final class Registry<T> {

    private final String kind;
    private final SortedMap<String, Provider<T>> providers;
    private final Function<T, String> nameOf;
    private final Map<String, Plugins.Plugin> origins;

    Registry(String kind, Map<String, Provider<T>> providers, Function<T, String> nameOf,
             Map<String, Plugins.Plugin> origins) {
        this.kind = kind;
        this.providers = Collections.unmodifiableSortedMap(new TreeMap<>(providers));
        this.nameOf = nameOf;
        this.origins = Map.copyOf(origins);
    }

    /** What this registry holds, e.g. {@code strategy}: the spec field and CLI flag it serves. */
    public String kind() {
        return kind;
    }

    /** The bound names, sorted. */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(providers.keySet()));
    }

    public boolean contains(String name) {
        return providers.containsKey(name);
    }

    /** The plug-in jar that binds {@code name}, or null when the project itself does. */
    public Plugins.Plugin origin(String name) {
        return origins.get(name);
    }

    /**
     * Fails unless {@code name} is bound.
     *
     * @throws UnknownNameException naming the field, the value and the known names
     */
    public void require(String name) {
        if (!providers.containsKey(name)) {
            throw new UnknownNameException(kind, name, names());
        }
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
        private static final long serialVersionUID = 1L;

        UnknownNameException(String kind, String name, Set<String> known) {
            super(kind + ": '" + name + "' is unknown; expected one of " + String.join(", ", known));
        }
    }
}
