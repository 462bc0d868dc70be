package org.cllmlab.experiments.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.cllmlab.core.model.Preset;
import org.cllmlab.core.spi.CachePolicy;
import org.cllmlab.core.spi.ConcurrencyStrategy;
import org.cllmlab.core.spi.Hierarchy;
import org.cllmlab.core.spi.ThreadProvisioning;
import org.cllmlab.strategies.Plugins;
import org.cllmlab.strategies.Registries;
import org.cllmlab.strategies.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./lab list}: presets, strategies and variants, with the plug-in jar each came from. */
@Command(name = "list", mixinStandardHelpOptions = true,
        header = "List presets, strategies, thread variants, hierarchies, cache policies and kernels.",
        description = "Lists every registered name, those of plug-in jars included, with the jar each came from.")
public final class ListCommand implements Callable<Integer> {

    @Mixin
    LabOptions lab;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Registries r = lab.registries();
        out.println("presets:");
        for (Preset p : Preset.values()) {
            var c = p.config(1);
            out.printf("  %-24s d_model %d, layers %d, heads %d, d_ff %d, seq %d, batch %d%n", p.id(),
                    c.dModel(), c.layers(), c.heads(), c.dFf(), c.seq(), c.batch());
        }
        section(out, "strategies (--strategy)", r.strategies(), ConcurrencyStrategy::description);
        section(out, "threads (--threads)", r.threads(), ThreadProvisioning::description);
        section(out, "hierarchies (--hierarchy)", r.hierarchies(), Hierarchy::description);
        section(out, "caches (--caches)", r.caches(), CachePolicy::description);
        out.println("kernels (--kernels):");
        for (String name : r.kernels().names()) {
            String what = switch (name) {
                case "vector" -> "blocked loop nest on the Vector API (the default)";
                case "blocked" -> "blocked loops in pure Java";
                case "reference" -> "simple loops, the test oracle";
                default -> "dense-math kernels";
            };
            try {
                r.kernels().create(name);
            } catch (IllegalArgumentException e) {
                what += " (unavailable in this JVM: " + e.getMessage() + ")";
            }
            out.printf("  %-24s %s%s%n", name, what, from(r.kernels(), name));
        }
        for (Plugins.Plugin p : r.plugins().plugins()) {
            out.printf("plug-in %s (sha256 %s)%n", p.jar(), p.sha256());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static <T> void section(PrintWriter out, String title, Registry<T> reg,
                                    java.util.function.Function<T, String> describe) {
        out.println(title + ":");
        for (String name : reg.names()) {
            out.printf("  %-24s %s%s%n", name, describe.apply(reg.create(name)), from(reg, name));
        }
    }

    private static String from(Registry<?> reg, String name) {
        Plugins.Plugin origin = reg.origin(name);
        return origin == null ? "" : " [plug-in " + origin.name() + "]";
    }

}
