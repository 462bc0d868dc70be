package org.cllmlab.strategies;

import com.google.inject.Binder;
import com.google.inject.Provider;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.core.spi.ThreadProvisioning;

/**
 * The map binders a family module (or a plug-in's module) adds its implementations to. Guice rejects a
 * name bound twice.
 * A new strategy is one class plus one line such as
 * {@code Bindings.add(Bindings.strategies(binder()), "my.strategy", MyStrategy::new)}.
 */
public final class Bindings {

    private Bindings() {
    }

    public static MapBinder<String, ConcurrencyStrategy> strategies(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, ConcurrencyStrategy.class);
    }

    public static MapBinder<String, ThreadProvisioning> threads(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, ThreadProvisioning.class);
    }

    public static MapBinder<String, Hierarchy> hierarchies(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, Hierarchy.class);
    }

    public static MapBinder<String, CachePolicy> caches(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, CachePolicy.class);
    }

    public static MapBinder<String, Kernels> kernels(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, Kernels.class);
    }

    /** Binds {@code name} to a fresh instance per lookup. */
    public static <T> void add(MapBinder<String, T> binder, String name, Provider<? extends T> provider) {
        binder.addBinding(name).toProvider(provider);
    }
}
