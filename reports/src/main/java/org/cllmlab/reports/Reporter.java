package org.cllmlab.reports;

/** Renders a report model in one format. Implementations are stateless and deterministic. */
@FunctionalInterface
public interface Reporter {
    /** The whole output file's content. */
    String render(ReportModel model);
}
