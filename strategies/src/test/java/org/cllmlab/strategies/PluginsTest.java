package org.cllmlab.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plug-in jars compiled here from source, as a user's build would make them. */
class PluginsTest {

    @TempDir
    Path dir;

    /** A module binding one strategy under {@code name}, renaming lock.global; optionally failing. */
    private static String module(String pkg, String name, String configureBody) {
        return """
                package %s;
                import com.google.inject.AbstractModule;
                import org.cllmlab.core.spi.ConcurrencyStrategy;
                import org.cllmlab.core.spi.StrategyContext;
                import org.cllmlab.strategies.Bindings;
                import org.cllmlab.strategies.lock.GlobalLockStrategy;
                public final class Plugin extends AbstractModule {
                    public static final class Mine implements ConcurrencyStrategy {
                        private final ConcurrencyStrategy d = new GlobalLockStrategy();
                        public String name() { return "%s"; }
                        public String description() { return "a plug-in's strategy"; }
                        public Session open(StrategyContext c) { return d.open(c); }
                    }
                    @Override protected void configure() {
                        %s
                        Bindings.add(Bindings.strategies(binder()), "%s", Mine::new);
                    }
                }
                """.formatted(pkg, name, configureBody, name);
    }

    /** Compiles {@code source} (class {@code pkg.Plugin}) into a jar, with the service file if asked. */
    private Path jar(String jarName, String pkg, String source, boolean serviceFile) throws IOException {
        Path src = dir.resolve(jarName + "-src").resolve(pkg.replace('.', '/'));
        Files.createDirectories(src);
        Files.writeString(src.resolve("Plugin.java"), source);
        Path classes = dir.resolve(jarName + "-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.resolve("Plugin.java").toString());
        assertThat(rc).as("compiling the test plug-in").isZero();
        Path jar = dir.resolve(jarName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            if (serviceFile) {
                out.putNextEntry(new JarEntry(Plugins.SERVICE_FILE));
                out.write((pkg + ".Plugin\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void load_pluginJar_addsItsStrategyAndRecordsTheJar() throws IOException {
        Path jar = jar("acme", "org.acme", module("org.acme", "acme.global", ""), true);
        Registries r = Registries.create(Plugins.load(List.of(jar)));
        assertThat(r.strategies().names()).contains("acme.global", "lock.global");
        assertThat(r.strategies().create("acme.global").description()).isEqualTo("a plug-in's strategy");
        Plugins.Plugin origin = r.strategies().origin("acme.global");
        assertThat(origin.name()).isEqualTo("acme.jar");
        assertThat(origin.sha256()).hasSize(64).isEqualTo(Plugins.sha256(jar));
        assertThat(r.strategies().origin("lock.global")).isNull();
    }

    @Test
    void load_twoJars_bothBind() throws IOException {
        Path a = jar("a", "org.a", module("org.a", "a.one", ""), true);
        Path b = jar("b", "org.b", module("org.b", "b.one", ""), true);
        Registries r = Registries.create(Plugins.load(Plugins.paths(a.toString(), b.toString())));
        assertThat(r.strategies().names()).contains("a.one", "b.one");
    }

    @Test
    void load_missingFile_namesIt() {
        Path nope = dir.resolve("nope.jar");
        assertThatThrownBy(() -> Plugins.load(List.of(nope))).isInstanceOf(PluginException.class)
                .hasMessage("plugins: '" + nope + "' does not exist; expected the path of a plug-in jar");
    }

    @Test
    void load_notAJar_namesTheJar() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        assertThatThrownBy(() -> Plugins.load(List.of(text))).isInstanceOf(PluginException.class)
                .hasMessageStartingWith("plugins: '" + text + "' is not a jar").hasMessageNotContaining("\n");
    }

    @Test
    void load_jarWithoutServiceFile_isNotAPlugin() throws IOException {
        Path jar = jar("plain", "org.plain", module("org.plain", "plain.one", ""), false);
        assertThatThrownBy(() -> Plugins.load(List.of(jar))).isInstanceOf(PluginException.class)
                .hasMessage("plugins: '" + jar + "' is not a plug-in: it has no " + Plugins.SERVICE_FILE
                        + "; expected a jar that lists its Guice module there");
    }

    @Test
    void create_moduleThatThrows_namesTheJarAndTheCause() throws IOException {
        Path jar = jar("boom", "org.boom", module("org.boom", "boom.one",
                "if (true) throw new IllegalStateException(\"no licence key\");"), true);
        assertThatThrownBy(() -> Registries.create(Plugins.load(List.of(jar)))).isInstanceOf(PluginException.class)
                .hasMessageStartingWith("plugins: '" + jar + "': its module failed: ")
                .hasMessageContaining("no licence key").hasMessageNotContaining("\n");
    }

    @Test
    void create_pluginRebindingABuiltInName_isRefusedNamingBoth() throws IOException {
        Path jar = jar("dup", "org.dup", module("org.dup", "lock.global", ""), true);
        assertThatThrownBy(() -> Registries.create(Plugins.load(List.of(jar)))).isInstanceOf(PluginException.class)
                .hasMessage("plugins: '" + jar + "' binds strategy 'lock.global', which the project binds too;"
                        + " expected a name of its own");
    }

    @Test
    void paths_optionThenEnvironment_inOrderWithoutDuplicates() {
        String sep = java.io.File.pathSeparator;
        List<Path> p = Plugins.paths("/x/a.jar" + sep + "/x/b.jar", "/x/b.jar" + sep + "/x/c.jar");
        assertThat(p).extracting(Path::toString).containsExactly("/x/a.jar", "/x/b.jar", "/x/c.jar");
        assertThat(Plugins.paths(null, " ")).isEmpty();
    }
}
