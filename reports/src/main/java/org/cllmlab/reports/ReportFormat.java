package org.cllmlab.reports;

import java.util.function.Supplier;

/** The output formats, each with the file it writes and a factory for its reporter. */
public enum ReportFormat {
    MARKDOWN("report.md", MarkdownReporter::new),
    HTML("report.html", HtmlReporter::new),
    CSV("summary.csv", CsvReporter::new),
    JSON("summary.json", JsonReporter::new);

    private final String fileName;
    private final Supplier<Reporter> factory;

    ReportFormat(String fileName, Supplier<Reporter> factory) {
        this.fileName = fileName;
        this.factory = factory;
    }

    public String fileName() {
        return fileName;
    }

    public Reporter create() {
        return factory.get();
    }
}
