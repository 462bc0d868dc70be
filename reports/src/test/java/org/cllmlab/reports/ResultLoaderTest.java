package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
                .hasMessageContaining("cllm-lab result, JMH output or ./lab efficiency output")
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
    void truncatedAndForeignSchemaFiles_amongValidOnes_areListedAndTheRestRendered(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("results"));
        GoldenReportTest.copy(Fixtures.DIR.resolve("phases"), dir);
        String whole = Files.readString(dir.resolve("phase1-24m-r1.json"));
        Files.writeString(dir.resolve("phase1-24m-r1.json"), whole.substring(0, whole.length() / 2));
        Files.writeString(dir.resolve("zz-newer.json"), "{\"schema\": 99, \"runId\": \"zz\", \"status\": \"ok\"}");

        ReportGenerator.Outcome o = ReportGenerator.write(dir, root, EnumSet.of(ReportFormat.MARKDOWN, ReportFormat.JSON));

        assertThat(o.complete()).isFalse();
        assertThat(o.written()).containsExactly(root.resolve("report.md"), root.resolve("summary.json"));
        assertThat(o.unreadable()).extracting(ResultLoader.Unreadable::file)
                .containsExactly("phase1-24m-r1.json", "zz-newer.json");
        assertThat(o.unreadable().get(0).message())
                .startsWith("results/phase1-24m-r1.json: not a cllm-lab result file: ").contains(" at line ")
                .doesNotContain("\n");
        assertThat(o.unreadable().get(1).message())
                .isEqualTo("results/zz-newer.json: not a cllm-lab result file: schema 99 is newer than this reader ("
                        + org.cllmlab.core.results.RunResult.SCHEMA + ")");
        String md = Files.readString(root.resolve("report.md"));
        assertThat(md).contains("18 run result files (16 ok, 2 failed)")
                .contains("2 unreadable files left out (listed below)")
                .contains("## Unreadable files (left out of this report)")
                .contains("| zz-newer.json | not a cllm-lab result file: schema 99 is newer than this reader")
                .containsPattern("\\| phase1-24m-r1.json \\| not a cllm-lab result file: .* at line \\d+ column \\d+ \\|")
                .contains("| phase1 | 24 MiB | 1/1 |")
                .contains("| beyond | 24 MiB |");
        assertThat(Files.readString(root.resolve("summary.json"))).contains("\"unreadableFiles\"").contains("zz-newer.json");
    }

    @Test
    void unreadableFile_throughTheListSignature_writesTheReportThenThrowsNamingIt(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("results"));
        GoldenReportTest.copy(Fixtures.DIR.resolve("phases"), dir);
        Files.writeString(dir.resolve("x.json"), "{\"schema\": 1, \"runId\": \"x\", \"sta");

        assertThatThrownBy(() -> ReportGenerator.generate(dir, root, EnumSet.of(ReportFormat.MARKDOWN)))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("results/x.json: not a cllm-lab result file: ")
                .hasMessageEndingWith("; the report was written without it and lists it");
        assertThat(Files.readString(root.resolve("report.md"))).contains("| x.json | not a cllm-lab result file: ");
    }

    @Test
    void onlyUnreadableFiles_throwNamingTheFirstAndTheCount(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("results"));
        Files.writeString(dir.resolve("a.json"), "{\"schema\": 1, \"runId\": \"a\", \"sta");
        Files.writeString(dir.resolve("b.json"), "[");

        assertThatThrownBy(() -> ReportGenerator.write(dir, root))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("no readable result files in " + dir + ": 2 unreadable (first: results/a.json: ");
    }

    @Test
    void suiteRunnerFiles_areSkippedSilently(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("results"));
        GoldenReportTest.copy(Fixtures.DIR.resolve("phases"), dir);
        Files.writeString(dir.resolve("suite.json"), "{\"name\": \"phases\", \"runs\": []}");
        Files.createDirectories(dir.resolve("requests"));
        Files.writeString(dir.resolve("requests/baseline-8k-r1.json"), "{\"runId\": \"baseline-8k-r1\", \"spec\": {}}");
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs/baseline-8k-r1.log"), "step 1\n");
        Files.createDirectories(dir.resolve("slurm/array"));
        Files.writeString(dir.resolve("slurm/array/task-1.json"), "{\"task\": 1}");
        Files.writeString(dir.resolve("notes.json"), "{\"mine\": true}");

        ResultLoader.Inputs in = ResultLoader.load(dir);

        assertThat(in.ignored()).containsExactly("notes.json");
        assertThat(in.unreadable()).isEmpty();
        assertThat(in.runs()).hasSize(19);
    }

    @Test
    void fixture_readsRunsJmhEfficiencyAndIgnoresForeignSpec() {
        ResultLoader.Inputs in = ResultLoader.load(Fixtures.DIR);

        assertThat(in.runs()).hasSize(19 + 24);
        assertThat(in.jmh()).hasSize(4);
        assertThat(in.efficiency()).extracting(EfficiencyResult::file)
                .containsExactly("bench/efficiency-20261127-073956.json", "bench/efficiency-20261127-075201.json");
        assertThat(in.ignored()).containsExactly("suite-spec.json");
        assertThat(in.jmh().get(2).scoreError()).isNaN();
    }

    @Test
    void fixture_efficiencyFiles_readWithAndWithoutIssueProbe() {
        ResultLoader.Inputs in = ResultLoader.load(Fixtures.DIR);
        EfficiencyResult before = in.efficiency().get(0);
        EfficiencyResult after = in.efficiency().get(1);

        assertThat(before.issueProbe()).isNull();
        assertThat(before.products()).hasSize(2)
                .allSatisfy(p -> assertThat(p.quietRounds()).isNull())
                .allSatisfy(p -> assertThat(p.quietShareOfPeak()).isNull());
        assertThat(after.rounds()).isEqualTo(11);
        assertThat(after.sliceMillis()).isEqualTo(150);
        assertThat(after.startedAt()).isEqualTo("2026-11-27T07:52:01.500354868Z");
        assertThat(after.gitCommit()).isEqualTo("73494b2af29ee0b3f4f3ccd300ba54c45298c8a5-dirty");
        assertThat(after.peak()).isEqualTo(new EfficiencyResult.Spread(90.20908974105068, 65.85968281900234, 96.35320740394368));
        assertThat(after.issueProbe().max()).isEqualTo(1.0);
        assertThat(after.products())
                .extracting(EfficiencyResult.Product::kernel, EfficiencyResult.Product::product, EfficiencyResult.Product::quietRounds)
                .containsExactly(tuple("blocked", "linearForward", 3), tuple("blocked", "attentionValues", 1),
                        tuple("vector", "linearForward", 3), tuple("vector", "attentionValues", 3));
        assertThat(after.products().get(3).shareOfPeak().median()).isEqualTo(0.5016413824082518);
    }

    static Stream<Arguments> malformedEfficiency() {
        return Stream.of(
                Arguments.of("\"median\" : 0.08896132054147023,\n", "",
                        "products[1].shareOfPeak.median is missing; expected a number"),
                Arguments.of("\"median\" : 44.384426117947726", "\"median\" : \"fast\"",
                        "products[3].gflops.median is \"fast\"; expected a number"),
                Arguments.of("\"rounds\" : 11", "\"rounds\" : 11.5", "rounds is 11.5; expected a whole number"),
                Arguments.of("\"twoCoreCeiling\" : {", "\"twoCoreCeiling\" : [ ], \"x\" : {",
                        "twoCoreCeiling is an array; expected an object with median, min and max"),
                Arguments.of("\"quietRounds\" : 1,\n      \"quietShareOfPeak\"", "\"quietRounds\" : 1,\n      \"x\"",
                        "products[1].quietShareOfPeak is missing; expected an object with median, min and max since quietRounds is 1"));
    }

    @ParameterizedTest
    @MethodSource("malformedEfficiency")
    void malformedEfficiencyFile_throwsNamingFileAndField(String from, String to, String expected, @TempDir Path root)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve("bench"));
        assertThat(Fixtures.EFFICIENCY).contains(from);
        Files.writeString(dir.resolve("efficiency-x.json"), Fixtures.EFFICIENCY.replaceFirst(
                java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));

        assertThatThrownBy(() -> ReportGenerator.generate(dir))
                .isInstanceOf(ReportException.class)
                .hasMessage("bench/efficiency-x.json: not an efficiency result file: " + expected);
    }

    @Test
    void efficiencyFilesOnly_renderTheSectionWithProductRowsAndFigures(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("bench"));
        Files.writeString(dir.resolve("efficiency-20261127-073956.json"), Fixtures.EFFICIENCY_BEFORE_PROBE);
        Files.writeString(dir.resolve("efficiency-20261127-075201.json"), Fixtures.EFFICIENCY);

        String md = Files.readString(ReportGenerator.generate(dir, dir, EnumSet.of(ReportFormat.MARKDOWN)).get(0));

        assertThat(md).contains("2 kernel efficiency files")
                .contains("## Kernel efficiency (measured by `./lab efficiency`)")
                .contains("| efficiency-20261127-075201.json | blocked | linearForward | x·Wᵀ (NT) 128×1024×256"
                        + " | 21.7 [18.8–32.7] | 25% [23–35%] | 35% [34–35%] (3) |")
                .contains("| efficiency-20261127-075201.json | vector | attentionValues | P·v (NN) 128×32×128"
                        + " | 44.4 [39.7–77.1] | 50% [44–83%] | 81% [52–82%] (3) |")
                .contains("| efficiency-20261127-073956.json | vector | linearForward | x·Wᵀ (NT) 128×1024×256"
                        + " | 64.4 [34.6–71.3] | 70% [48–76%] | n/a |")
                .contains("- efficiency-20261127-075201.json: 11 rounds of 150 ms slices; FMA peak 90.2 [65.9–96.4] GFLOP/s")
                .contains("two-core ceiling 2.01× [1.01–2.08×]")
                .contains("issue probe 73% [58–100%] of its fastest slice; started at 2026-11-27T07:52:01.500354868Z;"
                        + " commit 73494b2af29ee0b3f4f3ccd300ba54c45298c8a5-dirty")
                .contains("- efficiency-20261127-073956.json: 7 rounds of 150 ms slices; FMA peak 93.0 [67.9–95.8] GFLOP/s")
                .contains("issue probe not recorded; started at 2026-11-27T07:39:56.744503540Z;");
    }

    @Test
    void efficiencyProductWithoutQuietRound_showsDashAndZero_andMissingProvenanceAsUnknown(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("bench"));
        Files.writeString(dir.resolve("efficiency-y.json"), """
                {"result": {"rounds": 3, "sliceMillis": 100,
                  "peakGflops": {"median": 80, "min": 70, "max": 90},
                  "twoCoreCeiling": {"median": 1.5, "min": 1.0, "max": 2.0},
                  "issueProbe": {"median": 0.6, "min": 0.5, "max": 1.0},
                  "products": [{"kernel": "blocked", "product": "head", "description": "x·Eᵀ (NT) 128×800×256",
                                "gflops": {"median": 20, "min": 16, "max": 21},
                                "shareOfPeak": {"median": 0.25, "min": 0.2, "max": 0.26},
                                "quietRounds": 0, "quietShareOfPeak": null}]}}
                """);

        String md = new MarkdownReporter().render(ReportGenerator.model(dir));

        assertThat(md).contains("| efficiency-y.json | blocked | head | x·Eᵀ (NT) 128×800×256 | 20.0 [16.0–21.0] | 25% [20–26%] | — (0) |")
                .contains("started at ?; commit ?");
    }

    @Test
    void failedRun_appearsAsFailedInMarkdownPhaseTable(@TempDir Path out) throws IOException {
        ReportGenerator.generate(Fixtures.DIR, out);
        String md = Files.readString(out.resolve("report.md"));

        assertThat(md).containsPattern("\\| beyond \\| 8 KiB \\|.*\\| failed: worker 17 threw java.lang.OutOfMemoryError: Java heap space \\|")
                .contains("ok (1 of 3 failed: killed after the run timeout of 600 s)");
    }
}
