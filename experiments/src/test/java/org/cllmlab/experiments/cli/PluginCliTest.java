package org.cllmlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cllmlab.core.results.Results;
import org.cllmlab.core.results.RunResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's extension guide as a user walks it: the example plug-in jar, built by the reactor, seen by
 * {@code ./lab list}, verified by {@code ./lab verify}, and run in a suite.
 */
class PluginCliTest {

    static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTheExampleJar() {
        jar = Path.of(System.getProperty("user.dir")).resolveSibling("examples/strategy-plugin/target/strategy-plugin.jar");
        boolean built = Files.isRegularFile(jar);
        if (System.getenv("CI") != null) {
            assertThat(built).as("the reactor builds %s before the experiments module", jar).isTrue();
        }
        Assumptions.assumeTrue(built, "the example plug-in is not built (" + jar + "): run the whole reactor");
    }

    static Lab.Outcome lab(String... args) {
        return Lab.run(args);
    }

    @Test
    void list_withThePlugin_showsItsStrategiesAndTheJar() {
        Lab.Outcome o = lab("list", "--plugins", jar.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("example.add-under-lock").contains("example.unlocked-add")
                .contains("[plug-in strategy-plugin.jar]").contains("sha256");
    }

    @Test
    void verify_theWorkedExample_keepsTheContract() {
        Lab.Outcome o = lab("verify", "--plugins", jar.toString(), "example.add-under-lock", "--race-seconds", "1");
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("races").contains("kept the contract").doesNotContain("FAILED");
    }

    @Test
    void verify_theBrokenSibling_isRejectedFiveTimesInARow() {
        for (int i = 0; i < 5; i++) {
            Lab.Outcome o = lab("verify", "--plugins", jar.toString(), "example.unlocked-add", "--check", "races");
            assertThat(o.code()).as("try %d: %s%s", i + 1, o.out(), o.err()).isEqualTo(ExitCodes.RUN_FAILED);
            assertThat(o.err()).contains("example.unlocked-add failed 'races'").contains("W=")
                    .contains("max |difference|");
        }
    }

    @Test
    void run_aSuiteNamingThePluginStrategy_runsItAndRecordsTheJar() throws IOException {
        Path spec = Files.writeString(dir.resolve("mine.json"), """
                {"name": "mine", "defaults": {"preset": "tiny", "steps": 1, "warmup": 0, "workers": 2, "evalBatches": 0},
                 "runs": [{"label": "mine", "strategy": "example.add-under-lock"}]}
                """);
        Path out = dir.resolve("out");
        Lab.Outcome o = lab("run", spec.toString(), "--plugins", jar.toString(), "--out", out.toString(), "--no-progress");
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        RunResult r = Results.read(out.resolve("mine-tiny-8k-w2-r1.json"));
        assertThat(r.ok()).as(r.failure()).isTrue();
        assertThat(r.provenance().plugins()).singleElement().satisfies(u -> {
            assertThat(u.name()).isEqualTo("example.add-under-lock");
            assertThat(u.jar()).isEqualTo("strategy-plugin.jar");
            assertThat(u.sha256()).hasSize(64);
        });
        assertThat(Files.readString(out.resolve("report.md"))).contains("example.add-under-lock");
    }

    @Test
    void aJarThatIsNotAPlugin_isOneLineNamingTheJar_exit2() throws IOException {
        Path notPlugin = Files.write(dir.resolve("data.jar"), new byte[] {'P', 'K', 3, 4});
        Lab.Outcome o = lab("list", "--plugins", notPlugin.toString());
        assertThat(o.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(o.err().strip()).startsWith("error: plugins: '" + notPlugin + "'").doesNotContain("\n")
                .doesNotContain("Exception");
        Lab.Outcome missing = lab("verify", "--plugins", dir.resolve("nope.jar").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("does not exist");
    }
}
