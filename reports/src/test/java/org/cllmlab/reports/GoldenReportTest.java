package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture directory must render exactly the committed golden files. Regenerate fixtures and golden
 * files after an intended change with
 * {@code mvn -pl reports test -Dtest=GoldenReportTest -Dgolden.update=true} and review the diff.
 * The HTML is checked for determinism within one JVM only: its PNG charts depend on font rasterisation,
 * which differs between machines.
 */
class GoldenReportTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final List<String> TEXT_OUTPUTS = List.of("report.md", "summary.csv", "summary.json");

    @BeforeAll
    static void updateIfAsked() throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Fixtures.writeAll(Fixtures.DIR);
            Files.createDirectories(GOLDEN);
            ReportGenerator.generate(Fixtures.DIR, GOLDEN, java.util.EnumSet.of(ReportFormat.MARKDOWN, ReportFormat.CSV,
                    ReportFormat.JSON));
        }
    }

    @Test
    void fixtureDirectory_generated_matchesGoldenFiles(@TempDir Path out) throws IOException {
        ReportGenerator.generate(Fixtures.DIR, out);

        for (String name : TEXT_OUTPUTS) {
            assertThat(out.resolve(name)).as(name + " against the golden file (-Dgolden.update=true to regenerate)")
                    .hasSameTextualContentAs(GOLDEN.resolve(name));
        }
    }

    @Test
    void fixtureDirectory_generatedTwice_isByteIdenticalIncludingHtml(@TempDir Path a, @TempDir Path b) throws IOException {
        ReportGenerator.generate(Fixtures.DIR, a);
        ReportGenerator.generate(Fixtures.DIR, b);

        for (ReportFormat f : ReportFormat.values()) {
            assertThat(Files.readAllBytes(a.resolve(f.fileName()))).as(f.fileName())
                    .isEqualTo(Files.readAllBytes(b.resolve(f.fileName())));
        }
    }

    @Test
    void generate_intoResultDirectory_doesNotReadItsOwnSummaryBack(@TempDir Path dir) throws IOException {
        copy(Fixtures.DIR, dir);
        var textOnly = java.util.EnumSet.of(ReportFormat.MARKDOWN, ReportFormat.JSON);
        String first = Files.readString(ReportGenerator.generate(dir, dir, textOnly).get(0));
        String second = Files.readString(ReportGenerator.generate(dir, dir, textOnly).get(0));

        assertThat(second).isEqualTo(first).doesNotContain("summary.json");
    }

    @Test
    void html_selfContained_hasChartsAndNoExternalReferences(@TempDir Path out) throws IOException {
        ReportGenerator.generate(Fixtures.DIR, out);
        String html = Files.readString(out.resolve("report.html"));

        assertThat(html).contains("data:image/png;base64,").doesNotContain("<script").doesNotContain("http://")
                .doesNotContain("https://").contains("did not hold").contains("failed: worker 17 threw");
        // throughput and speedup by phase, 2 memory charts, all strategies' speedup, 3 strategies' speedup
        assertThat(html.split("<img ", -1)).hasSize(1 + 2 + 2 + 1 + 3);
    }

    static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
