package org.cllmlab.experiments.cli;

import java.nio.file.Path;
import java.util.List;
import org.cllmlab.strategies.Plugins;
import org.cllmlab.strategies.Registries;
import picocli.CommandLine.Option;

/**
 * The options every command shares: plug-in jars, and whether failures print their stack traces. The
 * registries are built here, once per command, from the project's modules and the plug-ins, and passed
 * down from there.
 */
public final class LabOptions {

    @Option(names = "--plugins", paramLabel = "JAR[:JAR...]",
            description = "Plug-in jars whose strategies, thread variants, hierarchies, cache policies or kernels "
                    + "this command may use, separated by ':' (also read from the LAB_PLUGINS environment variable).")
    String plugins;

    @Option(names = "--verbose", description = "Print the stack trace of a failure after its one-line message.")
    boolean verbose;

    private Registries registries;
    private List<Path> jars;

    /** The plug-in jars named by {@code --plugins} and {@code LAB_PLUGINS}, absolute, in order. */
    public List<Path> pluginJars() {
        if (jars == null) {
            jars = Plugins.paths(plugins, System.getenv(Plugins.ENV));
        }
        return jars;
    }

    /**
     * The project's registries plus the plug-ins', built on first use.
     *
     * @throws org.cllmlab.strategies.PluginException one line naming a jar that cannot be used
     */
    public Registries registries() {
        if (registries == null) {
            registries = Registries.create(Plugins.load(pluginJars()));
        }
        return registries;
    }

    public boolean verbose() {
        return verbose;
    }
}
