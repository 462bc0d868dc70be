package org.cllmlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ReportFormatTest {

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void everyFormat_rendersFixture_nonEmptyAndNamesMeasuredKinds(ReportFormat f) {
        String out = f.create().render(ReportGenerator.model(Fixtures.DIR));
        assertThat(out).isNotBlank();
        if (f != ReportFormat.JSON) {
            assertThat(out).contains("reserved").contains("committed").contains("resident");
        }
    }

    @Test
    void formats_haveDistinctFileNames() {
        assertThat(Arrays.stream(ReportFormat.values()).map(ReportFormat::fileName))
                .doesNotHaveDuplicates().containsExactly("report.md", "report.html", "summary.csv", "summary.json");
    }

    @Test
    void reportsSources_neverImportStrategiesOrExperiments() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(p)).as(p.toString())
                        .doesNotContain("org.cllmlab.strategies").doesNotContain("org.cllmlab.experiments");
            }
        }
    }
}
