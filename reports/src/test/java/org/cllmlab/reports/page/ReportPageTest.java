package org.cllmlab.reports.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.cllmlab.reports.ReportFormat;
import org.cllmlab.reports.ReportGenerator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture report, opened in a real browser (headless Chromium over the DevTools protocol): no console
 * errors, every chart decodes, nothing is cut off, and a full-page screenshot is as tall as the page. Without
 * Chromium the test is skipped with one line saying why, except under CI (the {@code CI} environment variable
 * set), where {@code .ci/run} installs it and its absence is a failure. The screenshot is kept in
 * {@code target/report-page/} for a look.
 */
class ReportPageTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/lab-results");
    static final Path KEPT = Path.of("target/report-page");

    static Path browser;

    @BeforeAll
    static void findBrowser() {
        browser = PageCheck.findBrowser().orElse(null);
        if (browser == null) {
            String why = "no Chromium ($" + PageCheck.BROWSER_ENV + " or chromium on the PATH;"
                    + " apt-get install -y chromium)";
            if (System.getenv("CI") != null) {
                fail("the browser test needs Chromium under CI: " + why);
            }
            System.err.println("ReportPageTest skipped: " + why);
            Assumptions.abort(why);
        }
    }

    @Test
    void fixtureReport_inChromium_hasNoErrors_decodedCharts_andAFullHeightScreenshot(@TempDir Path out) throws IOException {
        ReportGenerator.write(FIXTURES, out, EnumSet.of(ReportFormat.HTML));

        PageCheck.Result r = PageCheck.check(browser, out.resolve("report.html"), PageCheck.DEFAULT_WIDTH);
        Files.createDirectories(KEPT);
        Files.write(KEPT.resolve("report.png"), r.png());

        assertThat(r.consoleErrors()).as("console errors and failed loads").isEmpty();
        assertThat(r.images()).as("charts").hasSize(8)
                .allSatisfy(i -> assertThat(i.naturalWidth()).as(i.alt() + " width").isPositive())
                .allSatisfy(i -> assertThat(i.naturalHeight()).as(i.alt() + " height").isPositive())
                .allSatisfy(i -> assertThat(i.decodeError()).as(i.alt() + " decoding").isNull());
        assertThat(r.clipped()).as("boxes whose content is cut off at " + r.width() + " px").isEmpty();
        assertThat(r.scrollHeight()).as("a page of several screens").isGreaterThan(5_000);
        assertThat(r.pngWidth()).isEqualTo(PageCheck.DEFAULT_WIDTH);
        assertThat((double) r.pngHeight()).as("screenshot height against the page's scroll height")
                .isCloseTo(r.scrollHeight() * r.pixelRatio(), org.assertj.core.api.Assertions.within(Math.max(1, r.pixelRatio())));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void brokenPage_isCaught(@TempDir Path out) throws IOException {
        Path html = out.resolve("broken.html");
        Files.writeString(html, """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body>
                <img alt="truncated chart" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA">
                <div style="overflow-x:auto;width:200px"><table><tr><td style="white-space:nowrap">%s</td></tr></table></div>
                <div style="height:7000px"></div>
                <script>console.error("chart missing")</script>
                </body></html>
                """.formatted("x".repeat(200)));

        PageCheck.Result r = PageCheck.check(browser, html, 800);

        assertThat(r.problems()).anySatisfy(p -> assertThat(p).startsWith("console: console.error: chart missing"))
                .anySatisfy(p -> assertThat(p).startsWith("image 'truncated chart' did not decode"))
                .anySatisfy(p -> assertThat(p).startsWith("clipped at 800 px: "));
        assertThat(r.scrollHeight()).isGreaterThan(7_000);
        assertThat(r.pngHeight()).as("the full height, not one window").isEqualTo(r.scrollHeight());
    }
}
