package org.cllmlab.strategies;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.TypeLiteral;
import com.google.inject.spi.Message;
import com.google.inject.util.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.run.RunSpec;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.core.spi.ThreadProvisioning;
import org.cllmlab.core.train.Concurrency;

/**
 * Every registry, injected from the family modules' map bindings, plus those of any plug-in jars. Built
 * once at each entry point (the command line, a forked run) and passed down; selection happens here, at
 * lookup, from the names in a spec, and the modules themselves hold no conditional logic.
 */
public final class Registries {

    /** The SPI types a module may bind, with the registry kind (the spec field) each serves. */
    private static final Map<Class<?>, String> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put(ConcurrencyStrategy.class, "strategy");
        FAMILIES.put(ThreadProvisioning.class, "threads");
        FAMILIES.put(Hierarchy.class, "hierarchy");
        FAMILIES.put(CachePolicy.class, "caches");
        FAMILIES.put(Kernels.class, "kernels");
    }

    private final Registry<ConcurrencyStrategy> strategies;
    private final Registry<ThreadProvisioning> threads;
    private final Registry<Hierarchy> hierarchies;
    private final Registry<CachePolicy> caches;
    private final Registry<Kernels> kernels;
    private final Plugins plugins;

    private Registries(Injector injector, Plugins plugins, Map<String, Map<String, Plugins.Plugin>> origins) {
        this.plugins = plugins;
        this.strategies = registry(injector, ConcurrencyStrategy.class, ConcurrencyStrategy::name, origins);
        this.threads = registry(injector, ThreadProvisioning.class, ThreadProvisioning::name, origins);
        this.hierarchies = registry(injector, Hierarchy.class, Hierarchy::name, origins);
        this.caches = registry(injector, CachePolicy.class, CachePolicy::name, origins);
        this.kernels = registry(injector, Kernels.class, Kernels::name, origins);
    }

    /** The registries of every family this project ships, plus any extra modules' bindings (tests, examples). */
    public static Registries create(Module... extra) {
        List<Module> modules = new ArrayList<>(List.of(new LabModule()));
        modules.addAll(List.of(extra));
        return new Registries(Guice.createInjector(modules), Plugins.NONE, Map.of());
    }

    /**
     * The project's registries plus every plug-in's bindings.
     *
     * @throws PluginException naming the jar, when a plug-in's module fails or binds a name that is taken
     */
    public static Registries create(Plugins plugins) {
        if (plugins.isEmpty()) {
            return create();
        }
        Map<String, Map<String, Plugins.Plugin>> origins = new LinkedHashMap<>();
        Injector project = Guice.createInjector(new LabModule());
        for (Plugins.Plugin plugin : plugins.plugins()) {
            Injector own;
            try {
                own = Guice.createInjector(plugin.modules());
            } catch (CreationException e) {
                throw new PluginException("plugins: '" + plugin.jar() + "': its module failed: " + first(e), e);
            } catch (RuntimeException | LinkageError e) {
                throw new PluginException("plugins: '" + plugin.jar() + "': its module failed: "
                        + Plugins.oneLine(e), e);
            }
            int bound = 0;
            for (Map.Entry<Class<?>, String> family : FAMILIES.entrySet()) {
                for (String name : names(own, family.getKey())) {
                    bound++;
                    String kind = family.getValue();
                    Plugins.Plugin before = origins.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(name, plugin);
                    if (before != null || names(project, family.getKey()).contains(name)) {
                        throw new PluginException("plugins: '" + plugin.jar() + "' binds " + kind + " '" + name
                                + "', which " + (before == null ? "the project" : "'" + before.jar() + "'")
                                + " binds too; expected a name of its own");
                    }
                }
            }
            if (bound == 0) {
                throw new PluginException("plugins: '" + plugin.jar() + "' binds nothing: its modules add no "
                        + "strategy, threads, hierarchy, caches or kernels; expected Bindings.add(...) in configure()");
            }
        }
        List<Module> modules = new ArrayList<>(List.of(new LabModule()));
        plugins.plugins().forEach(p -> modules.addAll(p.modules()));
        return new Registries(Guice.createInjector(modules), plugins, origins);
    }

    private static String first(CreationException e) {
        Message m = e.getErrorMessages().iterator().next();
        Throwable cause = m.getCause();
        return (cause != null ? Plugins.oneLine(cause) : m.getMessage()).replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, Provider<T>> map(Injector injector, Class<T> type) {
        Key<?> key = Key.get(TypeLiteral.get(Types.mapOf(String.class, Types.providerOf(type))));
        if (injector.getExistingBinding(key) == null) {
            return Map.of();
        }
        return (Map<String, Provider<T>>) injector.getInstance(key);
    }

    private static java.util.Set<String> names(Injector injector, Class<?> type) {
        return map(injector, type).keySet();
    }

    private static <T> Registry<T> registry(Injector injector, Class<T> type, java.util.function.Function<T, String> nameOf,
                                            Map<String, Map<String, Plugins.Plugin>> origins) {
        String kind = FAMILIES.get(type);
        return new Registry<>(kind, map(injector, type), nameOf, origins.getOrDefault(kind, Map.of()));
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

    public Registry<Kernels> kernels() {
        return kernels;
    }

    /** The plug-ins these registries were built with. */
    public Plugins plugins() {
        return plugins;
    }

    /** Every registry, in the order {@code ./lab list} shows them. */
    public List<Registry<?>> all() {
        return List.of(strategies, threads, hierarchies, caches, kernels);
    }

    /** The registry serving spec field {@code kind} ({@code strategy}, {@code threads}, ...). */
    public Registry<?> byKind(String kind) {
        return all().stream().filter(r -> r.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("kind: '" + kind + "' is unknown"));
    }

    /**
     * Fails unless every name {@code spec} uses is registered.
     *
     * @throws Registry.UnknownNameException naming the field, the value and the known names
     */
    public void check(RunSpec spec) {
        RunSpec.Parallelism p = spec.parallelism();
        strategies.require(p.strategy());
        threads.require(p.threads());
        hierarchies.require(p.hierarchy());
        caches.require(p.caches());
        kernels.require(spec.kernels());
    }

    /** Fresh instances of the components {@code parallelism} names, as one value for the engine. */
    public Concurrency resolve(RunSpec.Parallelism parallelism) {
        return new Concurrency(strategies.create(parallelism.strategy()), threads.create(parallelism.threads()),
                hierarchies.create(parallelism.hierarchy()), caches.create(parallelism.caches()),
                parallelism.workers());
    }

    /** Every component of {@code spec} that a plug-in jar provides, with the jar's name and SHA-256. */
    public List<org.cllmlab.core.results.PluginUse> pluginUses(RunSpec spec) {
        List<org.cllmlab.core.results.PluginUse> out = new ArrayList<>();
        RunSpec.Parallelism p = spec.parallelism();
        String[][] named = {{"strategy", p.strategy()}, {"threads", p.threads()}, {"hierarchy", p.hierarchy()},
                {"caches", p.caches()}, {"kernels", spec.kernels()}};
        for (String[] kn : named) {
            Plugins.Plugin origin = byKind(kn[0]).origin(kn[1]);
            if (origin != null) {
                out.add(new org.cllmlab.core.results.PluginUse(kn[0], kn[1], origin.name(), origin.sha256()));
            }
        }
        return out;
    }
}
