package org.cllmlab.strategies;

import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Module;
import com.google.inject.Provider;
import java.util.Map;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.core.spi.ThreadProvisioning;

/**
 * Every registry, injected from the family modules' map bindings. Selection happens here, at lookup,
 * from the names in a spec; the modules themselves hold no conditional logic.
 */
public final class Registries {

    private final Registry<ConcurrencyStrategy> strategies;
    private final Registry<ThreadProvisioning> threads;
    private final Registry<Hierarchy> hierarchies;
    private final Registry<CachePolicy> caches;

    @Inject
    Registries(Map<String, Provider<ConcurrencyStrategy>> strategies,
               Map<String, Provider<ThreadProvisioning>> threads,
               Map<String, Provider<Hierarchy>> hierarchies,
               Map<String, Provider<CachePolicy>> caches) {
        this.strategies = new Registry<>("strategy", strategies, ConcurrencyStrategy::name);
        this.threads = new Registry<>("threads", threads, ThreadProvisioning::name);
        this.hierarchies = new Registry<>("hierarchy", hierarchies, Hierarchy::name);
        this.caches = new Registry<>("caches", caches, CachePolicy::name);
    }

    /** The registries of every family this project ships, plus any extra modules' bindings. */
    public static Registries create(Module... extra) {
        Module[] modules = new Module[extra.length + 1];
        modules[0] = new LabModule();
        System.arraycopy(extra, 0, modules, 1, extra.length);
        return Guice.createInjector(modules).getInstance(Registries.class);
    }

    public Registry<ConcurrencyStrategy> strategies() {
        return strategies;
    }

    public Registry<ThreadProvisioning> threads() {
        return threads;
    }

    public Registry<Hierarchy> hierarchies() {
        return hierarchies;
    }

    public Registry<CachePolicy> caches() {
        return caches;
    }
}
