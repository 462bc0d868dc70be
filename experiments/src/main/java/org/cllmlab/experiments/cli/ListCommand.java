package org.cllmlab.experiments.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.cllmlab.core.model.Preset;
import org.cllmlab.experiments.run.RunAssembly;
import org.cllmlab.strategies.Registries;
import org.cllmlab.strategies.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./lab list}: presets, strategies and variants. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List presets, strategies, thread variants, hierarchies and cache policies.")
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Registries r = RunAssembly.registries();
        out.println("presets:");
        for (Preset p : Preset.values()) {
            var c = p.config(0 + 1);
            out.printf("  %-24s d_model %d, layers %d, heads %d, d_ff %d, seq %d, batch %d%n", p.id(),
                    c.dModel(), c.layers(), c.heads(), c.dFf(), c.seq(), c.batch());
        }
        section(out, "strategies (--strategy)", r.strategies(), s -> s.description());
        section(out, "threads (--threads)", r.threads(), s -> s.description());
        section(out, "hierarchies (--hierarchy)", r.hierarchies(), s -> s.description());
        section(out, "caches (--caches)", r.caches(), s -> s.description());
        out.flush();
        return ExitCodes.OK;
    }

    private static <T> void section(PrintWriter out, String title, Registry<T> reg, Function<T, String> describe) {
        out.println(title + ":");
        for (String name : reg.names()) {
            out.printf("  %-24s %s%n", name, describe.apply(reg.create(name)));
        }
    }
}
