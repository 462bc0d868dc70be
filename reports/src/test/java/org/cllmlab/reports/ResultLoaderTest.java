package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultLoaderTest {

    @Test
    void emptyDirectory_throwsNamingDirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> ReportGenerator.generate(dir))
                .isInstanceOf(ReportException.class).hasMessage("no result files in " + dir);
    }

    @Test
    void missingDirectory_throwsNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> ReportGenerator.generate(dir.resolve("nope")))
                .isInstanceOf(ReportException.class).hasMessageContaining("nope");
    }

    @Test
    void foreignFilesOnly_throwsNamingAForeignFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("package.json"), "{\"name\": \"x\"}");
        Files.writeString(dir.resolve("notes.txt"), "hello");

        assertThatThrownBy(() -> ReportGenerator.generate(dir))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("no result files in " + dir)
                .hasMessageContaining("package.json");
    }

    @Test
    void corruptJson_throwsWithFileLineAndColumn(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("results"));
        GoldenReportTest.copy(Fixtures.DIR.resolve("phases"), dir);
        Files.writeString(dir.resolve("x.json"), "{\n  \"schema\": 1,\n  \"runId\": \"x\",\n  \"status\": ok\n}\n");

        assertThatThrownBy(() -> ReportGenerator.generate(dir))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("results/x.json: not a cllm-lab result file: ")
                .hasMessageContaining("at line 4 column")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void resultWithWrongFieldType_throwsNamingFileAndPosition(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("results"));
        Files.writeString(dir.resolve("y.json"), "{\"schema\": 1, \"runId\": \"y\", \"status\": \"ok\",\n \"config\": {\"workers\": \"many\"}}");

        assertThatThrownBy(() -> ReportGenerator.generate(dir))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("results/y.json: not a cllm-lab result file: ")
                .hasMessageContaining("at line 2");
    }

    @Test
    void truncatedFile_throwsNamingFile(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("results"));
        Files.writeString(dir.resolve("z.json"), "{\"schema\": 1, \"runId\": \"z\", \"sta");

        assertThatThrownBy(() -> ReportGenerator.generate(dir))
                .isInstanceOf(ReportException.class).hasMessageStartingWith("results/z.json: not a cllm-lab result file: ");
    }

    @Test
    void fixture_readsRunsJmhAndIgnoresForeignSpec() {
        ResultLoader.Inputs in = ResultLoader.load(Fixtures.DIR);

        assertThat(in.runs()).hasSize(19 + 24);
        assertThat(in.jmh()).hasSize(4);
        assertThat(in.ignored()).containsExactly("suite-spec.json");
        assertThat(in.jmh().get(2).scoreError()).isNaN();
    }

    @Test
    void failedRun_appearsAsFailedInMarkdownPhaseTable(@TempDir Path out) throws IOException {
        ReportGenerator.generate(Fixtures.DIR, out);
        String md = Files.readString(out.resolve("report.md"));

        assertThat(md).containsPattern("\\| beyond \\| 8 KiB \\|.*\\| failed: worker 17 threw java.lang.OutOfMemoryError: Java heap space \\|")
                .contains("ok (1 of 3 failed: killed after the run timeout of 600 s)");
    }
}
