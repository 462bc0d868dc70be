package org.cllmlab.strategies;

import com.google.inject.Module;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * Plug-in jars: a user's strategies (or thread variants, hierarchies, cache policies, kernels) in a jar of
 * their own, found with {@link ServiceLoader}. A plug-in jar lists one or more Guice modules in
 * {@code META-INF/services/com.google.inject.Module}; each module binds its implementations by name with
 * {@link Bindings}, exactly as the project's own family modules do. Only the modules a jar itself declares
 * count (each jar gets a class loader of its own, whose parent is the project's), so a jar cannot pick
 * up another's services by accident.
 *
 * <p>Jars come from {@code --plugins PATH[:PATH...]} and the {@code LAB_PLUGINS} environment variable
 * ({@link #paths}); a suite hands the same list to every forked run.
 */
public final class Plugins {

    /** The service file a plug-in jar must have. */
    public static final String SERVICE_FILE = "META-INF/services/" + Module.class.getName();
    /** The environment variable that names plug-in jars, like {@code --plugins}. */
    public static final String ENV = "LAB_PLUGINS";

    /** No plug-ins. */
    public static final Plugins NONE = new Plugins(List.of());

    /**
     * One loaded jar.
     *
     * @param jar     its absolute path
     * @param sha256  the SHA-256 of its bytes, hex
     * @param modules the Guice modules it declares, made
     */
    public record Plugin(Path jar, String sha256, List<Module> modules) {
        public Plugin {
            modules = List.copyOf(modules);
        }

        /** The jar's file name, for messages and result files. */
        public String name() {
            return jar.getFileName().toString();
        }
    }

    private final List<Plugin> plugins;

    private Plugins(List<Plugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    public List<Plugin> plugins() {
        return plugins;
    }

    /** The absolute paths of the jars, in order. */
    public List<Path> jars() {
        return plugins.stream().map(Plugin::jar).toList();
    }

    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    /**
     * The jars named by {@code option} ({@code --plugins}, may be null) followed by those of
     * {@code environment} ({@code LAB_PLUGINS}, may be null), each a list separated by the platform's path
     * separator; duplicates once.
     */
    public static List<Path> paths(String option, String environment) {
        LinkedHashSet<Path> out = new LinkedHashSet<>();
        for (String list : new String[] {option, environment}) {
            if (list == null || list.isBlank()) {
                continue;
            }
            for (String p : list.split(java.io.File.pathSeparator)) {
                if (!p.isBlank()) {
                    out.add(Path.of(p.strip()).toAbsolutePath().normalize());
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Loads every jar: checks it is a readable jar with the service file, makes each module it declares.
     *
     * @throws PluginException one line naming the jar and what is wrong with it
     */
    public static Plugins load(List<Path> jars) {
        if (jars.isEmpty()) {
            return NONE;
        }
        List<Plugin> out = new ArrayList<>();
        for (Path jar : jars) {
            out.add(loadOne(jar.toAbsolutePath().normalize()));
        }
        return new Plugins(out);
    }

    private static Plugin loadOne(Path jar) {
        String where = "plugins: '" + jar + "'";
        if (!Files.exists(jar)) {
            throw new PluginException(where + " does not exist; expected the path of a plug-in jar");
        }
        if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
            throw new PluginException(where + " is not a readable file; expected the path of a plug-in jar");
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(SERVICE_FILE) == null) {
                throw new PluginException(where + " is not a plug-in: it has no " + SERVICE_FILE
                        + "; expected a jar that lists its Guice module there");
            }
        } catch (IOException e) {
            throw new PluginException(where + " is not a jar (" + e.getMessage() + "); expected a plug-in jar", e);
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("plugin " + jar.getFileName(), new URL[] {jar.toUri().toURL()},
                    Plugins.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new PluginException(where + ": " + e.getMessage(), e);
        }
        List<Module> modules = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<Module> p : ServiceLoader.load(Module.class, loader).stream().toList()) {
                if (p.type().getClassLoader() != loader) {
                    continue; // declared by the project or another jar, not by this one
                }
                try {
                    modules.add(p.get());
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    throw new PluginException(where + ": its module " + p.type().getName() + " could not be made: "
                            + oneLine(e), e);
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginException(where + ": its " + SERVICE_FILE + " names a module that cannot be loaded: "
                    + oneLine(e), e);
        }
        if (modules.isEmpty()) {
            throw new PluginException(where + " is not a plug-in: its " + SERVICE_FILE
                    + " names no module of its own; expected the class name of a Guice module in the jar");
        }
        return new Plugin(jar, sha256(jar), modules);
    }

    /** The SHA-256 of a file's bytes, hex. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new PluginException("plugins: '" + file + "' cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An exception and its root cause, in one line. */
    static String oneLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (root != t) {
            msg += " (cause: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": "
                    + root.getMessage()) + ")";
        }
        return msg.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
